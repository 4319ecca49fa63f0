import { usageError } from '../errors.js';
import type { ReloadRequest, WindowsReloadRequest } from './types.js';

/** How a platform reloads: signals to a group's own processes, or a graceful restart of the whole Apache. */
export type ReloadKind = 'unix' | 'windows';

/** The options only a Windows restart honours (the service, the pidfile, a stop/start as a last resort). */
function windowsOnly(request: WindowsReloadRequest): string | null {
  if (request.service === undefined && request.pidfile === undefined && !request.allowStopStart) return null;
  return '--service, --pidfile and --allow-stop-start are for Windows, where a reload restarts the whole Apache; here wsgictl signals the group’s own processes';
}

/** Each option only daemon mode can honour, why, and what to do instead: all said in one line. */
function daemonModeOnly(request: ReloadRequest): string | null {
  const refused = [
    request.rolling &&
      '--rolling: Windows has one Apache child, and its restart already lets the old child finish its requests; leave it out',
    request.signal !== undefined &&
      '--signal/--graceful: a Windows restart is always the graceful one (the named event); leave it out',
    request.url !== undefined &&
      '--url: a touched script is reloaded inside the same Apache child on its next request, so there is no new process to confirm; leave --url out',
    request.killAfterMs !== undefined &&
      '--kill-after: Windows restarts the whole Apache, which ends its old child itself; leave it out',
    request.wait === false &&
      "--no-wait: the restart is confirmed by Apache's new child; bound the wait with --timeout DURATION instead",
    request.trustConfig &&
      '--trust-config: the configuration is only read to check the group names; leave it out, or pass --all to skip that check',
    request.check !== undefined &&
      '--check: not available on Windows yet; request the app yourself once the restart is reported',
  ].filter((reason): reason is string => typeof reason === 'string');
  if (refused.length === 0) return null;
  return refused
    .map((reason) => reason.replace(/^([^:]+): /, '$1 cannot be honoured on Windows: '))
    .join('; ');
}

/**
 * The platform options, checked once against what this platform's reload can do: exit 2 for an option it
 * cannot honour, before anything is read or sent.
 */
export function assertPlatformOptions(request: WindowsReloadRequest, kind: ReloadKind): void {
  const refusal = kind === 'windows' ? daemonModeOnly(request) : windowsOnly(request);
  if (refusal !== null) throw usageError(refusal);
}
