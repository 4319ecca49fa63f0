import type { LogLine } from '../../errorlog/parse.js';
import {
  findGroupSubject,
  NORMAL_EXIT,
  RESTART_REASONS,
  SIGNAL_EXIT,
  STARTUP_FAILURE,
} from '../../errorlog/wording.js';

/**
 * Why a daemon ended, as the error log tells it. `churn`: an orderly end (exit code 0, a signal someone sent,
 * one of mod_wsgi's own restart reasons) after which the parent starts another: no fault of the app's.
 * `crash`: an abnormal end (a signal the process raised by faulting, a non-zero exit, a start-up failure).
 */
export interface EndEvidence {
  kind: 'churn' | 'crash';
  /** In a few words: "ended normally (exit code 0)", "Maximum requests reached". */
  why: string;
  /** The log line, as written. */
  line: string;
}

/** Signals a process gets by faulting on its own; any other signal was sent to it by someone. */
const FAULT_SIGNALS = new Set([4, 5, 6, 7, 8, 11, 31]); // ILL TRAP ABRT BUS FPE SEGV SYS

function bySignal(signal: number, line: string): EndEvidence {
  return FAULT_SIGNALS.has(signal)
    ? { kind: 'crash', why: `killed by signal ${signal}, a fault of its own`, line }
    : { kind: 'churn', why: `ended by signal ${signal}, sent by another process`, line };
}

/** What one line says about how one of `pids` ended, if anything. */
function readLine(line: LogLine, group: string, pids: ReadonlySet<number>): [number, EndEvidence] | null {
  const child = /AH00052: child pid (\d+) exit signal [^(]*\((\d+)\)/.exec(line.message);
  if (child && pids.has(Number(child[1]))) return [Number(child[1]), bySignal(Number(child[2]), line.raw)];
  const subject = findGroupSubject(line.message, group);
  if (subject !== null && pids.has(subject)) {
    const exit = NORMAL_EXIT.exec(line.message);
    if (exit) {
      const code = Number(exit[1]);
      return code === 0
        ? [subject, { kind: 'churn', why: 'ended normally (exit code 0)', line: line.raw }]
        : [subject, { kind: 'crash', why: `exited with code ${code}`, line: line.raw }];
    }
    const signal = SIGNAL_EXIT.exec(line.message);
    if (signal) return [subject, bySignal(Number(signal[1]), line.raw)];
  }
  // A daemon's own lines: its restart reason, or why it could not start.
  if (line.pid === null || !pids.has(line.pid)) return null;
  const reason = RESTART_REASONS.find(([pattern]) => pattern.test(line.message));
  if (reason) return [line.pid, { kind: 'churn', why: reason[1], line: line.raw }];
  if (STARTUP_FAILURE.test(line.message))
    return [line.pid, { kind: 'crash', why: 'it could not start', line: line.raw }];
  return null;
}

/**
 * How each of `pids` (daemons of `group` that ended) ended, by the log lines written since the reload
 * started. Abnormal evidence outweighs an orderly line (a daemon asked to shut down that then segfaults
 * crashed); a pid the log says nothing about is absent: at LogLevel warn an orderly end leaves no line.
 */
export function classifyEnds(
  lines: LogLine[],
  group: string,
  pids: Iterable<number>,
): Map<number, EndEvidence> {
  const wanted = new Set(pids);
  const found = new Map<number, EndEvidence>();
  for (const line of lines) {
    const read = readLine(line, group, wanted);
    if (!read) continue;
    const [pid, evidence] = read;
    const known = found.get(pid);
    if (!known || (known.kind === 'churn' && evidence.kind === 'crash')) found.set(pid, evidence);
  }
  return found;
}
