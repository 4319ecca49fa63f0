import { constants } from 'node:os';

/**
 * A process's signal dispositions as /proc/PID/status shows them: `SigIgn` (ignored), `SigCgt` (a handler
 * is installed) and `SigBlk` (blocked by the thread read). Each is a 64-bit hex mask, bit N-1 for signal N.
 */
export interface SignalMasks {
  ignored: bigint;
  caught: bigint;
  blocked: bigint;
}

function readMask(text: string, field: string): bigint | null {
  const match = new RegExp(`^${field}:\\s*([0-9a-fA-F]+)\\s*$`, 'm').exec(text);
  return match?.[1] ? BigInt(`0x${match[1]}`) : null;
}

/** The three masks out of a /proc/PID/status (or /proc/PID/task/TID/status) text; null when one is absent. */
export function parseSignalMasks(text: string): SignalMasks | null {
  const ignored = readMask(text, 'SigIgn');
  const caught = readMask(text, 'SigCgt');
  const blocked = readMask(text, 'SigBlk');
  if (ignored === null || caught === null || blocked === null) return null;
  return { ignored, caught, blocked };
}

/** Whether `mask` holds `signal` (by name, as node:os numbers it on this platform). */
export function maskHas(mask: bigint, signal: NodeJS.Signals): boolean {
  const number = constants.signals[signal];
  return number !== undefined && ((mask >> BigInt(number - 1)) & 1n) === 1n;
}

/**
 * What a process will do with `signal`: `ignores` (SIG_IGN: it is thrown away), `blocks` (every thread
 * blocks it: it stays pending and nothing happens until one unblocks it), else `acts` (a handler, or the
 * default action, which for INT, TERM and USR1 ends the process). `threads` are the masks of each thread;
 * a signal sent to a process goes to any one thread that does not block it.
 */
export type SignalFate = 'ignores' | 'blocks' | 'acts';

export function judgeSignal(
  process: SignalMasks,
  threads: SignalMasks[],
  signal: NodeJS.Signals,
): SignalFate {
  if (maskHas(process.ignored, signal)) return 'ignores';
  const all = threads.length > 0 ? threads : [process];
  if (all.every((thread) => maskHas(thread.blocked, signal))) return 'blocks';
  return 'acts';
}
