import { hostFiles } from '../files/view.js';
import type { ApacheInstance } from '../groups/instance.js';
import { type LogMark, markLogs, readSince } from './file.js';
import { findGroupErrorLogs } from './locate.js';
import { parseLogText } from './parse.js';
import { selectGroupLines } from './select-lines.js';

/** Where the check looked for the group's error-log lines. */
export interface ErrorLogReport {
  /** The file as Apache sees it, or null for syslog and piped logs. */
  path: string | null;
  /** The ErrorLog directive's target as written. */
  written: string;
  /** Why it could not be read; absent when it was read. */
  reason?: string;
}

/** The most error-log lines a reload reports: enough for tracebacks, not a flood's worth. */
export const MAX_ERROR_LINES = 500;

/** Before the signal: where each of the group's error logs ends now (a stat per log, nothing read). */
export function markGroupLogs(instance: ApacheInstance, group: string): LogMark[] {
  return markLogs(
    findGroupErrorLogs(instance.config, group, hostFiles(instance.fileRoot)),
    instance.fileRoot,
  );
}

export function reportLog(mark: LogMark, reason = mark.reason): ErrorLogReport {
  return { path: mark.path, written: mark.written, ...(reason === undefined ? {} : { reason }) };
}

/** Which processes' lines are wanted: the group's new ones (and any that died), not the ones it replaced. */
export interface ErrorPids {
  newPids: number[];
  oldPids: number[];
}

/**
 * What the group's new daemons (or the parent, about the group or a new daemon's death) wrote to its error
 * logs since the marks, at warn and above, in log order; and where it looked.
 */
export function readGroupErrors(
  marks: LogMark[],
  group: string,
  pids: ErrorPids,
): { errors: string[]; errorLogs: ErrorLogReport[] } {
  const filter = { group, pids: new Set(pids.newPids), floor: 'warn', exclude: new Set(pids.oldPids) };
  const errors: string[] = [];
  const errorLogs: ErrorLogReport[] = [];
  for (const mark of marks) {
    const { text, reason } = readSince(mark);
    errorLogs.push(reportLog(mark, reason));
    errors.push(...selectGroupLines(parseLogText(text), filter).map((line) => line.raw));
  }
  return { errors: errors.slice(-MAX_ERROR_LINES), errorLogs };
}

/**
 * mod_wsgi's parent notices a dead daemon (and logs it) on its maintenance tick, about once a second: a crash
 * loop is often seen before the log says anything about it.
 */
export const CRASH_LOG_WAIT_MS = 1500;
const CRASH_LOG_POLL_MS = 100;

function mentionsAnyPid(errors: string[], pids: number[]): boolean {
  return errors.some((line) =>
    pids.some((pid) => line.includes(`pid=${pid})`) || line.includes(`child pid ${pid} `)),
  );
}

/**
 * A reload that stopped on a crash loop, with what the log says about the daemons that died: waited for up
 * to CRASH_LOG_WAIT_MS until it names one of them.
 */
export async function addCrashErrors<
  T extends { group: string; oldPids: number[]; newPids: number[]; crashLoop?: { pids: number[] } },
>(
  result: T,
  marks: LogMark[] | undefined,
  waitMs = CRASH_LOG_WAIT_MS,
): Promise<T & { errors?: string[]; errorLogs?: ErrorLogReport[] }> {
  if (!result.crashLoop || !marks) return result;
  const died = result.crashLoop.pids;
  const pids = { newPids: [...result.newPids, ...died], oldPids: result.oldPids };
  const deadline = Date.now() + waitMs;
  let read = readGroupErrors(marks, result.group, pids);
  while (!mentionsAnyPid(read.errors, died) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, CRASH_LOG_POLL_MS));
    read = readGroupErrors(marks, result.group, pids);
  }
  return { ...result, ...read };
}
