import { isAtLeast, type LogLine } from './parse.js';
import { findNamedPid, isDaemonOwnLine, stripPidPrefix } from './wording.js';

/** Which lines of the error log are a group's. */
export interface GroupLogFilter {
  group: string;
  /** The group's processes: its new daemons after a reload, its current ones for `logs`. */
  pids: ReadonlySet<number>;
  /** Keep lines at least this severe ('warn' for a failed check, 'debug' for everything). */
  floor: string;
  /** Processes whose lines are not wanted: the daemons a reload replaced, whose exit is no news. */
  exclude?: ReadonlySet<number>;
  /**
   * Add to `pids` each process that a line shows to be the group's daemon (see isDaemonOwnLine in wording.ts), so that its later lines (a traceback names no group) count: for `logs`, where the
   * daemons that wrote the past lines are long gone.
   */
  learn?: Set<number>;
}

/**
 * The parent's notice that a daemon of the group ended badly: mod_wsgi logs it at info, but it explains a
 * crash. A clean exit (`exit code 0`) is what a reload causes, and no news.
 */
const DEATH = /terminated by signal|exit code [1-9]|exit signal/;

function mentionsGroup(message: string, group: string): boolean {
  return message.includes(`'${group}'`) || message.includes(`"${group}"`);
}

/** The process a line is about: the one its text names (see findNamedPid), else the one that wrote it. */
function findSubjectPid(line: LogLine): number | null {
  return findNamedPid(line.message) ?? line.pid;
}

function isWanted(line: LogLine, filter: GroupLogFilter): boolean {
  const subject = findSubjectPid(line);
  if (subject !== null && filter.exclude?.has(subject)) return false;
  const mine =
    (subject !== null && filter.pids.has(subject)) ||
    (line.pid !== null && filter.pids.has(line.pid)) ||
    mentionsGroup(line.message, filter.group);
  if (!mine) return false;
  // A line whose format is not Apache's default has no level to judge: keep it rather than hide an error.
  return line.level === null || isAtLeast(line.level, filter.floor) || DEATH.test(line.message);
}

/** The group's lines, in log order; a line with no fields at all (fd 2 written raw) follows the line before. */
export function selectGroupLines(lines: LogLine[], filter: GroupLogFilter): LogLine[] {
  const kept: LogLine[] = [];
  let previous = false;
  for (const line of lines) {
    if (line.pid === null && line.level === null) {
      if (previous) kept.push(line);
      continue;
    }
    if (filter.learn && line.pid !== null && isDaemonOwnLine(line.message, filter.group))
      filter.learn.add(line.pid);
    previous = isWanted(line, filter);
    if (previous) kept.push(line);
  }
  return kept;
}

/** Lines one stream wrote: one thread of one process, for one request; seen `count` times from `pids`. */
export interface LogBlock {
  lines: LogLine[];
  pids: number[];
  count: number;
}

/**
 * Groups lines into blocks by the stream that wrote them, so a traceback stays whole even where two daemons'
 * tracebacks interleave in the file, then folds blocks that say the same thing (the same import error from
 * each new daemon, at start-up and again for the request) into one, counting them.
 */
export function groupBlocks(lines: LogLine[]): LogBlock[] {
  const streams = new Map<string, LogLine[]>();
  let key = '';
  for (const line of lines) {
    if (line.pid !== null || line.level !== null) key = `${line.pid}:${line.tid}:${line.client}`;
    const stream = streams.get(key) ?? [];
    stream.push(line);
    streams.set(key, stream);
  }
  const blocks = new Map<string, LogBlock>();
  for (const stream of streams.values()) {
    const text = stream.map((line) => stripPidPrefix(line.message)).join('\n');
    const pid = stream[0]?.pid ?? null;
    const seen = blocks.get(text);
    if (!seen) {
      blocks.set(text, { lines: stream, pids: pid === null ? [] : [pid], count: 1 });
      continue;
    }
    seen.count++;
    if (pid !== null && !seen.pids.includes(pid)) seen.pids.push(pid);
  }
  return [...blocks.values()];
}
