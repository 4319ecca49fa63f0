import type { Sites } from '../apache/config/sites.js';
import { isAtLeast } from '../errorlog/parse.js';

/** httpd's level when no LogLevel is read. */
const DEFAULT_LEVEL = 'warn';

/**
 * The level mod_wsgi's lines are logged at under `LogLevel WORDS`: a `wsgi:LEVEL` (or `mod_wsgi.c:LEVEL`)
 * word wins over the bare one that sets every module's level; trace levels count as below debug.
 */
export function wsgiLevelOf(written: string | undefined): string {
  let level = DEFAULT_LEVEL;
  let own: string | null = null;
  for (const word of (written ?? '').toLowerCase().split(/\s+/).filter(Boolean)) {
    const colon = word.indexOf(':');
    if (colon === -1) level = word;
    else if (['wsgi', 'mod_wsgi.c', 'wsgi_module'].includes(word.slice(0, colon)))
      own = word.slice(colon + 1);
  }
  return own ?? level;
}

/** The LogLevel that rules a group's lines: its virtual host's own, else the main server's. */
export function groupLogLevel(sites: Sites | undefined, group: string): string {
  const home = sites?.daemonHomes.find((each) => each.group === group);
  const host = home?.vhost === null || home === undefined ? undefined : sites?.vhosts[home.vhost];
  return wsgiLevelOf(host?.logLevel ?? sites?.logLevel);
}

/**
 * Why the restart lines cannot be in the log, or null when they can: mod_wsgi logs a daemon's end and its
 * reason at info only.
 */
export function describeHiddenRestarts(level: string): string | null {
  if (isAtLeast('info', level) || level.startsWith('trace')) return null;
  return `LogLevel ${level} hides mod_wsgi's restart lines (logged at info): set LogLevel info, or LogLevel ${level} wsgi:info, to count restarts`;
}
