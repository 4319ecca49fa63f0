import type { ApacheConfig } from '../apache/config/model.js';
import { resolveMountGroup } from '../apache/config/mount-group.js';
import {
  createSites,
  type Listen,
  type ScriptMount,
  type Sites,
  splitAddress,
  type VirtualHost,
} from '../apache/config/sites.js';
import { usageError } from '../errors.js';

/** One request a health check sends: to this instance's own address, with the virtual host's name. */
export interface CheckTarget {
  /** The URL as a user would type it (the Host header's name, the path). */
  url: string;
  /** Where the request really goes: a configured address, or loopback for a wildcard one. */
  address: string;
  port: number;
  /** The Host header. */
  host: string;
  path: string;
  tls: boolean;
}

export interface CheckPlan {
  targets: CheckTarget[];
  /** Mount points of the group that are not requested, and why. */
  unchecked: string[];
}

const WILDCARDS = new Set(['*', '_default_', '0.0.0.0', '::', '']);
const LOOPBACK = '127.0.0.1';

function isIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

function splitServerName(name: string | null): { host: string; port: number | null } | null {
  if (!name) return null;
  const { host, port } = splitAddress(name.replace(/^[a-z]+:\/\//i, ''));
  return host ? { host, port } : null;
}

/** Where to connect for a virtual host (or the main server): never elsewhere than a configured address. */
function findReach(sites: Sites, vhost: VirtualHost | null): { address: string; port: number } | null {
  const listens: Listen[] = sites.listens;
  const pick = (host: string | null, port: number | null) => {
    const listen = listens.find((l) => port === null || l.port === port) ?? null;
    const chosenPort = port ?? listen?.port ?? null;
    if (chosenPort === null) return null;
    if (host && !WILDCARDS.has(host) && isIp(host)) return { address: host, port: chosenPort };
    const bound = listen?.host;
    if (bound && !WILDCARDS.has(bound) && isIp(bound)) return { address: bound, port: chosenPort };
    return { address: bound === '::' ? '::1' : LOOPBACK, port: chosenPort };
  };
  if (!vhost) return pick(null, null);
  for (const { host, port } of vhost.addresses) {
    const reach = pick(host, port);
    if (reach) return reach;
  }
  return null;
}

function formatUrl(tls: boolean, host: string, port: number, path: string): string {
  const standard = port === (tls ? 443 : 80);
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return `${tls ? 'https' : 'http'}://${shownHost}${standard ? '' : `:${port}`}${path}`;
}

function buildTarget(sites: Sites, mount: ScriptMount): CheckTarget | null {
  const vhost = mount.vhost === null ? null : (sites.vhosts[mount.vhost] ?? null);
  const reach = findReach(sites, vhost);
  if (!reach) return null;
  const tls =
    (vhost ? vhost.tls : sites.tls) ||
    sites.listens.some((l) => l.port === reach.port && l.protocol?.toLowerCase() === 'https');
  const name = splitServerName(vhost?.serverName ?? null) ?? splitServerName(sites.serverName);
  const hostName = name?.host ?? reach.address;
  const standard = reach.port === (tls ? 443 : 80);
  const host = `${hostName.includes(':') ? `[${hostName}]` : hostName}${standard ? '' : `:${reach.port}`}`;
  return {
    url: formatUrl(tls, hostName, reach.port, mount.url),
    address: reach.address,
    port: reach.port,
    host,
    path: mount.url,
    tls,
  };
}

/**
 * The requests that prove a group serves: one per `WSGIScriptAlias` the group serves, on its virtual host's
 * address (loopback for a wildcard one) with its ServerName as Host. A `WSGIScriptAliasMatch` needs a URL
 * and is listed in `unchecked` instead.
 */
export function planGroupCheck(config: ApacheConfig, group: string): CheckPlan {
  const sites = config.sites ?? createSites();
  const plan: CheckPlan = { targets: [], unchecked: [] };
  for (const mount of sites.mounts) {
    const served = resolveMountGroup(sites, mount);
    const where = `${mount.match ? 'WSGIScriptAliasMatch' : 'WSGIScriptAlias'} ${mount.url} (${mount.file}:${mount.line})`;
    if (served === null) {
      plan.unchecked.push(
        `${where}: which group serves it cannot be told (a section's pattern ran too long)`,
      );
      continue;
    }
    if (served === '' || served !== group) continue;
    if (mount.match) {
      plan.unchecked.push(`${where}: a pattern, not a URL; pass --check URL to request it`);
      continue;
    }
    const target = buildTarget(sites, mount);
    if (!target) plan.unchecked.push(`${where}: no Listen address for its virtual host`);
    else if (!plan.targets.some((t) => t.url === target.url && t.address === target.address))
      plan.targets.push(target);
  }
  return plan;
}

/**
 * A URL the user gave: requested as written, but only through an address this instance listens on, so the
 * check proves this Apache and nothing DNS or a proxy puts in front of it. A name goes as the Host header.
 */
export function planUrlCheck(config: ApacheConfig, text: string): CheckTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError(`--check "${text}" is not a URL: write e.g. --check http://127.0.0.1:8080/health`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw usageError(`--check "${text}" is not an http(s) URL (put the group first: reload GROUP --check)`);
  const sites = config.sites ?? createSites();
  const tls = url.protocol === 'https:';
  const port = url.port === '' ? (tls ? 443 : 80) : Number(url.port);
  const listen = sites.listens.find((l) => l.port === port);
  const ports = [...new Set(sites.listens.map((l) => l.port))].join(', ') || 'none found';
  if (!listen)
    throw usageError(`--check ${text}: Apache does not listen on port ${port} (it listens on ${ports})`);
  const named = url.hostname.replace(/^\[|\]$/g, '');
  const local = named.startsWith('127.') || named === '::1';
  const bound = listen.host && !WILDCARDS.has(listen.host) ? listen.host : null;
  if (isIp(named) && !local && named !== bound) {
    throw usageError(
      `--check ${text}: ${named} is not an address this Apache listens on; use its name or loopback`,
    );
  }
  const address = isIp(named) ? named : (bound ?? LOOPBACK);
  return { url: url.href, address, port, host: url.host, path: `${url.pathname}${url.search}`, tls };
}
