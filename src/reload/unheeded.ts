import type { SignalFate } from '../processes/signal-mask.js';
import { judgeSignal } from '../processes/signal-mask.js';
import type { ProcessInfo, ProcessSource } from '../processes/types.js';
import type { RestartSignal } from './signals.js';

/** A planned process that will not act on the signal about to be sent, read before it is sent. */
export interface Unheeded {
  pid: number;
  fate: Exclude<SignalFate, 'acts'>;
  /** The other restart signals this process would act on (none ignored or blocked). */
  heeds: RestartSignal[];
}

const ALTERNATIVES: RestartSignal[] = ['SIGTERM', 'SIGINT'];

/**
 * The targets whose signal masks say they will not act on `signal` (Linux only: elsewhere the masks are not
 * known and nobody is named). A process that cannot be read is not named either: the wait will tell.
 */
export async function findUnheeded(
  source: ProcessSource,
  targets: ProcessInfo[],
  signal: RestartSignal,
): Promise<Unheeded[]> {
  if (!source.signalMasks) return [];
  const found: Unheeded[] = [];
  for (const target of targets) {
    const masks = await source.signalMasks(target.pid);
    if (!masks) continue;
    const fate = judgeSignal(masks.process, masks.threads, signal);
    if (fate === 'acts') continue;
    const heeds = ALTERNATIVES.filter(
      (other) => other !== signal && judgeSignal(masks.process, masks.threads, other) === 'acts',
    );
    found.push({ pid: target.pid, fate, heeds });
  }
  return found;
}

/**
 * The warning for one such process, with what to do: `pid 4242 of group dj7 ignores SIGINT (SigIgn in
 * /proc/4242/status): it will not exit; ...`. `killAfterMs`: the SIGKILL that --kill-after will send.
 */
export function describeUnheeded(
  unheeded: Unheeded,
  group: string,
  signal: RestartSignal,
  killAfter: string | null,
): string {
  const { pid } = unheeded;
  const what =
    unheeded.fate === 'ignores'
      ? `ignores ${signal} (SigIgn in /proc/${pid}/status)`
      : `blocks ${signal} in every thread (SigBlk in /proc/${pid}/task/*/status)`;
  const head = `pid ${pid} of group ${group} ${what}: it will not exit`;
  if (killAfter !== null) return `${head}; --kill-after sends it SIGKILL ${killAfter} after ${signal}`;
  const other = unheeded.heeds[0];
  const instead = other
    ? `, or --signal ${other.slice(3)} (it does not ${unheeded.fate === 'ignores' ? 'ignore' : 'block'} that)`
    : '';
  return `${head}; use --kill-after 5s${instead}, or fix the app (WSGIRestrictSignal On keeps it from changing signal handling)`;
}
