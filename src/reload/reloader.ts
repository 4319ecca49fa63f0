import type { ProcessSource } from '../processes/types.js';
import { assertPlatformOptions, type ReloadKind } from './platform-options.js';
import { type ReloadDeps, reloadGroups } from './reload.js';
import type { GroupReloadResult, ReloadRequest, WindowsReloadRequest } from './types.js';

/**
 * The one way to reload on this platform, with the same surface everywhere: plan, check, signal (or
 * event/service), wait, and a result per group. The core never prints and never picks exit codes: it
 * returns results and throws WsgictlError.
 */
export interface Reloader {
  readonly platform: ReloadKind;
  /** Windows' own options (WindowsReloadRequest) are refused on every other platform. */
  reload(request: ReloadRequest | WindowsReloadRequest, deps?: ReloadDeps): Promise<GroupReloadResult[]>;
}

/** UNIX (Linux, macOS): signals to the daemon processes of each group. */
export function createUnixReloader(source: ProcessSource): Reloader {
  return {
    platform: 'unix',
    async reload(request, deps) {
      assertPlatformOptions(request, 'unix');
      return reloadGroups(source, request, deps);
    },
  };
}
