import { setTimeout as sleep } from 'node:timers/promises';
import { WsgictlError } from '../errors.js';
import type { GroupReloadResult, ReloadEvent, ReloadRequest } from '../reload/types.js';
import type { Supervisor } from './supervisor.js';

/** How often a group that is not running is looked for again. */
export const GROUP_WAIT_POLL_MS = 500;

/** One line of output per finished action. */
export type ActionReport =
  | ({ action: 'group' } & GroupReloadResult)
  | { action: 'touch'; script: string; ms: number }
  | { action: 'exec'; command: string; oldPid: number | null; newPid: number | null; ms: number };

/** Something to say while an action runs (a group that is not running yet). */
export interface ActionNotice {
  message: string;
  code: string;
  waiting?: boolean;
}

/** What the loop drives on every batch. */
export interface Action {
  readonly name: 'group' | 'touch' | 'exec';
  /** Runs once the watcher is ready (exec starts its command). */
  start: () => Promise<void>;
  run: (signal: AbortSignal) => Promise<ActionReport[]>;
  /** Leaves groups alone; stops the command tree exec started. */
  stop: () => Promise<void>;
}

/**
 * Reloads groups: reloadGroups from src/reload on UNIX. The Windows restart path plugs in here with the
 * same shape (src/cli/watch.ts chooses one implementation, once).
 */
export type GroupReloader = (
  request: ReloadRequest,
  onEvent: (event: ReloadEvent) => void,
) => Promise<GroupReloadResult[]>;

function isNotRunning(error: unknown): boolean {
  return error instanceof WsgictlError && (error.code === 'NO_SUCH_GROUP' || error.code === 'NO_PROCESSES');
}

/**
 * `--group`: one reload of every named group per batch. A group that is not running (yet) is waited
 * for: the reload happens once it appears, or never if watching stops first. Other failures throw and
 * are reported by the loop, which goes on watching.
 */
export function createGroupAction(
  reload: GroupReloader,
  request: ReloadRequest,
  onNotice: (notice: ActionNotice) => void,
  waitPollMs = GROUP_WAIT_POLL_MS,
): Action {
  return {
    name: 'group',
    start: async () => {},
    async run(signal) {
      let told = false;
      for (;;) {
        try {
          const results = await reload(request, () => {});
          return results.map((result) => ({ action: 'group' as const, ...result }));
        } catch (error) {
          if (!isNotRunning(error)) throw error;
          if (!told) {
            onNotice({
              message: `${(error as Error).message} (waiting for it to start; the reload follows)`,
              code: (error as WsgictlError).code,
              waiting: true,
            });
            told = true;
          }
          try {
            await sleep(waitPollMs, undefined, { signal });
          } catch {
            return []; // watching stopped while waiting: nothing was signalled
          }
        }
      }
    },
    stop: async () => {},
  };
}

/** `--touch SCRIPT`: WSGIScriptReloading restarts the group on its next request. */
export function createTouchAction(script: string, touch: (path: string) => void): Action {
  return {
    name: 'touch',
    start: async () => {},
    async run() {
      const started = Date.now();
      touch(script);
      return [{ action: 'touch', script, ms: Date.now() - started }];
    },
    stop: async () => {},
  };
}

/** `--exec CMD`: restart the command (its whole process tree) on every batch. */
export function createExecAction(command: string, supervisor: Supervisor): Action {
  return {
    name: 'exec',
    start: async () => {
      supervisor.start();
    },
    async run() {
      const started = Date.now();
      const { oldPid, newPid } = await supervisor.restart();
      return [{ action: 'exec', command, oldPid, newPid, ms: Date.now() - started }];
    },
    stop: () => supervisor.stop(),
  };
}
