import { isAbsolute, resolve } from 'node:path';
import type { ApacheConfig } from '../apache/config/model.js';
import { resolveMountGroup } from '../apache/config/mount-group.js';
import { createSites } from '../apache/config/sites.js';
import type { FileView } from '../files/view.js';

/** httpd's compiled-in ErrorLog (DEFAULT_ERRORLOG), relative to ServerRoot. */
const DEFAULT_ERROR_LOG = 'logs/error_log';

/** An error log a group's lines may be in: a file to read, or why there is none. */
export interface ErrorLogSource {
  /** The file, as Apache sees it; null when the log is not a file. */
  path: string | null;
  /** The ErrorLog as written. */
  written: string;
  /** Why it cannot be read (`not readable: piped log`); absent for a file. */
  reason?: string;
}

/**
 * Debian starts Apache through envvars, which sets APACHE_LOG_DIR and friends. When the parent's environment
 * could not be read, the variables the configuration still names are looked up in that file.
 */
function expandFromEnvvars(text: string, serverRoot: string, files: FileView): string {
  if (!text.includes('${')) return text;
  let envvars = '';
  try {
    envvars = files.readText(`${serverRoot}/envvars`);
  } catch {
    return text;
  }
  const suffix = serverRoot.startsWith('/etc/apache2-') ? `-${serverRoot.slice('/etc/apache2-'.length)}` : '';
  const values = new Map<string, string>();
  for (const match of envvars.matchAll(/^\s*export\s+(\w+)=["']?([^"'\n]*)["']?\s*$/gm))
    values.set(match[1] as string, (match[2] as string).replace(/\$\{?SUFFIX\}?/g, suffix));
  return text.replace(/\$\{(\w+)\}/g, (whole, name: string) => values.get(name) ?? whole);
}

/** Where one ErrorLog directive sends its lines. */
export function resolveErrorLog(written: string | null, serverRoot: string, files: FileView): ErrorLogSource {
  const text = expandFromEnvvars(written ?? DEFAULT_ERROR_LOG, serverRoot, files);
  if (/^syslog(:|$)/i.test(text)) return { path: null, written: text, reason: 'not readable: syslog' };
  if (text.startsWith('|')) return { path: null, written: text, reason: 'not readable: piped log' };
  if (text.includes('${'))
    return { path: null, written: text, reason: 'not readable: a variable that is not defined' };
  return { path: isAbsolute(text) ? text : resolve(serverRoot, text), written: text };
}

/**
 * The error logs a group's lines can be in: the main server's, and the one of each virtual host that
 * defines the group or mounts an application in it (a virtual host without ErrorLog uses the main one).
 */
export function findGroupErrorLogs(config: ApacheConfig, group: string, files: FileView): ErrorLogSource[] {
  const sites = config.sites ?? createSites();
  const hosts = new Set<number>();
  for (const home of sites.daemonHomes)
    if (home.group === group && home.vhost !== null) hosts.add(home.vhost);
  for (const mount of sites.mounts) {
    // A mount whose group cannot be told may be this group's: its host's log is read too.
    const served = mount.vhost === null ? undefined : resolveMountGroup(sites, mount);
    if (mount.vhost !== null && (served === group || served === null)) hosts.add(mount.vhost);
  }
  const written = [sites.errorLog, ...[...hosts].map((i) => sites.vhosts[i]?.errorLog ?? sites.errorLog)];
  const sources = written.map((text) => resolveErrorLog(text, config.serverRoot, files));
  return sources.filter(
    (source, i) =>
      sources.findIndex((other) => (other.path ?? other.written) === (source.path ?? source.written)) === i,
  );
}
