import type { Clock } from '../clock.js';

/**
 * The one time limit of a Windows reload (`--timeout`): every command and the wait for the new child share
 * it, so seven slow commands cannot add up to minutes before the wait even starts.
 */
export interface Deadline {
  /** Milliseconds left; 0 once it has passed. */
  remainingMs(): number;
  readonly timeoutMs: number;
}

export function createDeadline(clock: Clock, timeoutMs: number): Deadline {
  const at = clock.now() + timeoutMs;
  return { timeoutMs, remainingMs: () => Math.max(0, at - clock.now()) };
}
