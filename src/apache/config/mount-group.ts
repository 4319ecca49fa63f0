import { dirname } from 'node:path';
import { testUntrustedRegExp } from './bounded-regexp.js';
import type { ProcessGroupDirective, ScriptMount, Sites } from './sites.js';

function compileGlob(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}(/|$)`);
}

/** A section's regular expression against a path: an invalid one covers nothing; null when it ran too long. */
function matchSection(source: string, text: string): boolean | null {
  const pattern = source.replace(/^~\s*/, '');
  try {
    new RegExp(pattern);
  } catch {
    return false;
  }
  return testUntrustedRegExp(pattern, text);
}

/**
 * httpd's <Location> match: a prefix that ends at a path segment (`/sh` covers `/sh` and `/sh/x`, not
 * `/shop`), unless the section's own path ends in a slash.
 */
function coversSegments(prefix: string, urlPath: string): boolean {
  if (!urlPath.startsWith(prefix)) return false;
  const next = urlPath.charAt(prefix.length);
  return prefix.endsWith('/') || next === '' || next === '/';
}

/** Whether a per-directory section covers a request for `urlPath` served by `script`; null: cannot tell. */
function isInScope(directive: ProcessGroupDirective, urlPath: string, script: string): boolean | null {
  const scope = directive.scope;
  if (!scope) return true;
  if (scope.kind === 'location') return coversSegments(scope.path, urlPath);
  if (scope.kind === 'locationmatch') return matchSection(scope.path, urlPath);
  if (scope.kind === 'directory') return compileGlob(scope.path.replace(/\/$/, '')).test(dirname(script));
  return matchSection(scope.path, dirname(script));
}

/**
 * Apache's merge order: main server, virtual host, <Directory> (fewer path components first),
 * <DirectoryMatch>, then <Location> and <LocationMatch> as written.
 */
function rankInMerge(directive: ProcessGroupDirective): number {
  if (!directive.scope) return directive.vhost === null ? 0 : 1;
  if (directive.scope.kind === 'directory') return 2 + directive.scope.path.split('/').length / 1000;
  return directive.scope.kind === 'directorymatch' ? 3 : 4;
}

/**
 * The daemon group that serves a mount: its own `process-group=`, else the `WSGIProcessGroup` that wins
 * Apache's merge for the mount's URL and script. '' means embedded mode (`%{GLOBAL}` or none at all); null
 * that it cannot be told (a section's pattern would not finish: see bounded-regexp.ts).
 */
export function resolveMountGroup(sites: Sites, mount: ScriptMount): string | null {
  if (mount.processGroup !== null) return mount.processGroup === '%{GLOBAL}' ? '' : mount.processGroup;
  const candidates = sites.processGroups.filter((d) => d.vhost === null || d.vhost === mount.vhost);
  const covering: ProcessGroupDirective[] = [];
  for (const directive of candidates) {
    const covers = isInScope(directive, mount.url, mount.script);
    if (covers === null) return null;
    if (covers) covering.push(directive);
  }
  const written =
    covering
      .map((d, order) => ({ d, order }))
      .sort((a, b) => rankInMerge(a.d) - rankInMerge(b.d) || a.order - b.order)
      .at(-1)?.d.group ?? '';
  return written === '%{GLOBAL}' ? '' : written;
}
