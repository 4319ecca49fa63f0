import { usageError } from '../errors.js';
import type { ProcessSource } from '../processes/types.js';
import { type ReloadDeps, reloadGroups } from './reload.js';
import type { GroupReloadResult, ReloadRequest } from './types.js';

/**
 * The one way to reload on this platform, with the same surface everywhere: plan, check, signal (or
 * event/service), wait, and a result per group. The core never prints and never picks exit codes: it
 * returns results and throws WsgictlError.
 */
export interface Reloader {
  readonly platform: 'unix' | 'windows';
  reload(request: ReloadRequest, deps?: ReloadDeps): Promise<GroupReloadResult[]>;
}

/** UNIX (Linux, macOS): signals to the daemon processes of each group. */
export function createUnixReloader(source: ProcessSource): Reloader {
  return {
    platform: 'unix',
    async reload(request, deps) {
      if (request.service !== undefined || request.pidfile !== undefined || request.allowStopStart) {
        throw usageError(
          '--service, --pidfile and --allow-stop-start are for Windows, where a reload restarts the whole Apache; here wsgictl signals the group’s own processes',
        );
      }
      return reloadGroups(source, request, deps);
    },
  };
}
