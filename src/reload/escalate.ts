import { parseDuration } from '../duration.js';
import { usageError } from '../errors.js';
import { formatDuration } from '../format.js';
import type { ProcessInfo } from '../processes/types.js';
import type { ReloadRequest } from './types.js';

/** `--kill-after`: a duration above zero. */
export function parseKillAfter(value: string): number {
  const ms = parseDuration(value, { option: '--kill-after' });
  if (ms <= 0) {
    throw usageError(
      `--kill-after ${value} would SIGKILL at once, with no chance for a clean shutdown: give a duration above zero, e.g. 5s`,
    );
  }
  return ms;
}

/** How a kill-after duration reads in messages: 3s, 500ms, 1m. */
export function formatKillAfter(ms: number): string {
  return ms < 1000 ? `${ms}ms` : ms % 1000 === 0 && ms < 60_000 ? `${ms / 1000}s` : formatDuration(ms);
}

/**
 * The combinations in which --kill-after means nothing, refused before anything is sent (exit 2): the
 * SIGKILL is sent during the wait, so it needs one, and one long enough to get there.
 */
export function assertKillAfter(request: ReloadRequest, timeoutMs: number): void {
  const ms = request.killAfterMs;
  if (ms === undefined) return;
  if (!Number.isFinite(ms) || ms <= 0)
    throw usageError(`--kill-after must be a duration above zero, not ${ms} ms`);
  if (request.touch !== undefined)
    throw usageError('--kill-after goes with a signal: --touch sends none, so there is nothing to follow up');
  if (request.wait === false) {
    throw usageError(
      '--kill-after is sent while wsgictl waits for the replacements: drop --no-wait, or drop --kill-after',
    );
  }
  if (ms >= timeoutMs) {
    throw usageError(
      `--kill-after ${formatKillAfter(ms)} is not shorter than --timeout ${formatKillAfter(timeoutMs)}: the wait would end before the SIGKILL; give a shorter --kill-after or a longer --timeout`,
    );
  }
}

/**
 * Sends SIGKILL to a process that is still the same planned target `killAfterMs` after its signal.
 * `send` re-checks the target (same pid, same start, still the group's) and sends; it returns why it did not.
 */
export interface EscalatorOptions {
  killAfterMs: number;
  send: (target: ProcessInfo) => Promise<string | null>;
  now?: () => number;
}

export interface Escalator {
  /** Starts the clock for one target that was just signalled. */
  arm(target: ProcessInfo): void;
  /** Kills each armed target whose time has come; called between the polls of the wait. */
  tick(): Promise<void>;
  /** pid -> ms from its signal to its SIGKILL. */
  readonly killed: ReadonlyMap<number, number>;
  /** pid -> why it was not killed after all, when it still ran (no longer the group's, ...). */
  readonly spared: ReadonlyMap<number, string>;
}

export function createEscalator(options: EscalatorOptions): Escalator {
  const now = options.now ?? Date.now;
  const armed = new Map<number, { target: ProcessInfo; at: number }>();
  const killed = new Map<number, number>();
  const spared = new Map<number, string>();
  return {
    arm(target) {
      armed.set(target.pid, { target, at: now() });
    },
    async tick() {
      for (const [pid, { target, at }] of armed) {
        if (now() - at < options.killAfterMs) continue;
        armed.delete(pid);
        const why = await options.send(target);
        // One that exited by itself in the meantime needs nothing; any other reason is worth saying.
        if (why === null) killed.set(pid, now() - at);
        else if (why !== 'exited before it was signalled') spared.set(pid, why);
      }
    },
    killed,
    spared,
  };
}
