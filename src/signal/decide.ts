import { majorOf } from '../apache/binary/wsgi-version.js';
import { usageError, WsgictlError } from '../errors.js';
import type { AppSignal } from '../reload/signals.js';
import type { VersionReading } from './read-version.js';

/** The first mod_wsgi line that hands SIGHUP and SIGUSR2 to the application instead of dying of them. */
export const APP_SIGNALS_SINCE_MAJOR = 6;

/** The mod_wsgi version an Apache runs, and which sources said so. */
export interface VersionVerdict {
  version: string;
  from: Array<'start line' | 'module'>;
}

/** What is to be signalled, for the messages: the group, the signal and the Apache (`apache2 (pid 812)`). */
export interface SignalTarget {
  group: string;
  signal: AppSignal;
  who: string;
}

/**
 * The version from what the module itself reports: the start line in the error log and the bytes of the
 * LoadModule file. One suffices; two that disagree, or none, refuse (exit 5): a wrong guess kills daemons.
 */
export function decideWsgiVersion(
  log: VersionReading,
  module: VersionReading,
  { group, signal, who }: SignalTarget,
): VersionVerdict {
  const refused = `refused to send ${signal} to "${group}" under ${who}, nothing was sent`;
  if (log.version !== null && module.version !== null && log.version !== module.version) {
    throw new WsgictlError(
      'REFUSED',
      `${refused}: its error log's start line says mod_wsgi ${log.version} but its LoadModule wsgi_module file is ${module.version}; restart Apache so that it runs the module on disk, then try again`,
    );
  }
  if (log.version === null && module.version === null) {
    throw new WsgictlError(
      'REFUSED',
      `${refused}: which mod_wsgi it runs cannot be told (its error log ${log.reason}; its module ${module.reason}), and only 6.x hands SIGHUP and SIGUSR2 to the application; use \`wsgictl reload ${group}\` to restart the group instead`,
    );
  }
  const from: VersionVerdict['from'] = [];
  if (log.version !== null) from.push('start line');
  if (module.version !== null) from.push('module');
  return { version: (log.version ?? module.version) as string, from };
}

/** What a signal does to a daemon of a mod_wsgi older than 6.0, as seen on 4.9.4 and 5.0.2. */
function fateBefore6(signal: AppSignal): string {
  return signal === 'SIGHUP'
    ? 'a daemon started with Apache dies of it, and one restarted since ignores it'
    : 'it ends the daemon';
}

/** Exit 2 on a mod_wsgi older than 6.0: it installs no handler for SIGHUP or SIGUSR2 in its daemons. */
export function assertReachesApp(verdict: VersionVerdict, { group, signal, who }: SignalTarget): void {
  if (majorOf(verdict.version) >= APP_SIGNALS_SINCE_MAJOR) return;
  throw usageError(
    `mod_wsgi ${verdict.version} under ${who} does not hand ${signal} to the application (${fateBefore6(signal)}); nothing was sent: use \`wsgictl reload ${group}\` to restart the group (mod_wsgi 6.0 and newer pass SIGHUP and SIGUSR2 to mod_wsgi.subscribe_signals)`,
  );
}

/** Exit 2 on Windows: mod_wsgi has no daemon mode there, so there is no daemon to signal. */
export function assertSignalPlatform(platform: NodeJS.Platform): void {
  if (platform !== 'win32') return;
  throw usageError(
    'mod_wsgi has no daemon processes on Windows (it runs inside Apache, and there are no SIGHUP or SIGUSR2): use `wsgictl reload` to restart Apache',
  );
}
