import { WsgictlError } from '../errors.js';
import { hostFiles } from '../files/view.js';
import type { ApacheInstance } from '../groups/instance.js';
import { assertGroupsExist, daemonGroupsOf } from '../groups/lookup.js';
import { type Follower, openLog } from './follow.js';
import type { ErrorLogSource } from './locate.js';
import { findGroupErrorLogs } from './locate.js';
import { parseLogLine } from './parse.js';
import { type GroupLogFilter, selectGroupLines } from './select-lines.js';

/** One instance's error logs for a group, and the group's daemons there now. */
export interface GroupLogPlace {
  instance: ApacheInstance;
  sources: ErrorLogSource[];
  pids: number[];
}

/**
 * Where a group's lines are: exit 3 for a group no instance knows, exit 2 when several instances have it and
 * `--instance` does not say which (their logs and pids are not the same).
 */
export function findGroupLogPlace(instances: ApacheInstance[], group: string): GroupLogPlace {
  assertGroupsExist(daemonGroupsOf(instances), [group]);
  const having = instances.filter((instance) => instance.groups.some((view) => view.name === group));
  const [instance] = having;
  if (!instance) throw new WsgictlError('NO_SUCH_GROUP', `no group "${group}"`);
  if (having.length > 1) {
    const which = having.map((each) => `${each.parent.comm} (pid ${each.parent.pid})`).join(', ');
    throw new WsgictlError(
      'USAGE',
      `group "${group}" is in ${having.length} Apache instances, ${which}: pass --instance PID`,
    );
  }
  const view = instance.groups.find((each) => each.name === group);
  return {
    instance,
    sources: findGroupErrorLogs(instance.config, group, hostFiles(instance.fileRoot)),
    pids: (view?.members ?? []).map((member) => member.process.pid),
  };
}

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/** Milliseconds of Apache's `[Mon Nov 23 09:06:02.825524 2026]`, or null for another format. */
export function readLineTime(raw: string): number | null {
  const match = /^\[\w{3} (\w{3}) +(\d+) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? (\d{4})\]/.exec(raw);
  if (!match) return null;
  const month = MONTHS.indexOf(match[1] as string) / 3;
  const [day, hours, minutes, seconds, year] = [match[2], match[3], match[4], match[5], match[7]].map(Number);
  const fraction = Number(`0.${match[6] ?? '0'}`) * 1000;
  return Date.UTC(year as number, month, day, hours, minutes, seconds) + fraction;
}

/** Lines of several logs in time order; a line with no time of its own keeps the time of the line before. */
function mergeByTime(logs: string[][]): string[] {
  const timed = logs.flatMap((lines, file) => {
    let last = 0;
    return lines.map((raw, index) => {
      last = readLineTime(raw) ?? last;
      return { raw, time: last, file, index };
    });
  });
  timed.sort((a, b) => a.time - b.time || a.file - b.file || a.index - b.index);
  return timed.map((line) => line.raw);
}

export interface GroupLogSession {
  /** The group's last lines in every readable log, oldest first. */
  lines: string[];
  /** The logs that could not be read, and why. */
  unreadable: { written: string; reason: string }[];
  /** The group's lines written since the last call (or since `lines`). */
  readNew(): string[];
  /** The group's daemons now: lines they write count even when they name no group. */
  addPids(pids: number[]): void;
  close(): void;
}

/**
 * Opens a group's error logs: the group's lines are those of its daemons (now running, or shown to be the
 * group's by an earlier line), those naming the group, and the parent's notices of their deaths.
 */
export function openGroupLogs(place: GroupLogPlace, group: string, count: number): GroupLogSession {
  const pids = new Set(place.pids);
  const filter: GroupLogFilter = { group, pids, floor: 'debug', learn: pids };
  const select = (raw: string[]) => selectGroupLines(raw.map(parseLogLine), filter).map((line) => line.raw);
  const followers: { follower: Follower; path: string }[] = [];
  const unreadable: GroupLogSession['unreadable'] = [];
  const tails: string[][] = [];
  for (const source of place.sources) {
    if (source.path === null) {
      unreadable.push({ written: source.written, reason: source.reason ?? 'not readable' });
      continue;
    }
    try {
      const { lines, follower } = openLog(place.instance.fileRoot, source.path);
      followers.push({ follower, path: source.path });
      tails.push(select(lines));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error);
      unreadable.push({ written: source.path, reason: `not readable: ${code}` });
    }
  }
  if (followers.length === 0) {
    const looked = unreadable.map((log) => `${log.written} (${log.reason})`).join(', ');
    throw new WsgictlError(
      'FAILED',
      `no error log of "${group}" can be read: looked at ${looked || 'nothing'}`,
    );
  }
  return {
    lines: count > 0 ? mergeByTime(tails).slice(-count) : [],
    unreadable,
    readNew: () => {
      const notices: string[] = [];
      const fresh = followers.map(({ follower, path }) => {
        const { lines, skippedBytes } = follower.readNew();
        if (skippedBytes > 0)
          notices.push(
            `wsgictl: skipped ${skippedBytes} bytes of ${path}, written faster than they could be read`,
          );
        return select(lines);
      });
      return [...notices, ...mergeByTime(fresh)];
    },
    addPids: (more) => {
      for (const pid of more) pids.add(pid);
    },
    close: () => {
      for (const { follower } of followers) follower.close();
    },
  };
}

/** How often `logs -f` looks for new lines, and for the group's new daemons. */
export const FOLLOW_POLL_MS = 250;
export const PID_REFRESH_MS = 2000;

export interface FollowDeps<T> {
  print: (lines: string[]) => void;
  /** The group's daemons now (a reload or a crash gives it new pids whose lines may name no group). */
  currentPids: () => Promise<number[]>;
  stop: Promise<T>;
  pollMs?: number;
  refreshMs?: number;
}

/** `logs -f`: prints the group's new lines as they are written, until `stop` resolves (with its value). */
export async function followGroupLogs<T>(session: GroupLogSession, deps: FollowDeps<T>): Promise<T> {
  const pollMs = deps.pollMs ?? FOLLOW_POLL_MS;
  const refreshMs = deps.refreshMs ?? PID_REFRESH_MS;
  let stopped: { value: T } | null = null;
  void deps.stop.then((value) => {
    stopped = { value };
  });
  let refreshed = Date.now();
  try {
    for (;;) {
      const tick = new Promise((resolve) => setTimeout(resolve, pollMs));
      await Promise.race([tick, deps.stop]);
      if (stopped) return (stopped as { value: T }).value;
      if (Date.now() - refreshed >= refreshMs) {
        refreshed = Date.now();
        session.addPids(await deps.currentPids().catch(() => []));
      }
      const lines = session.readNew();
      if (lines.length > 0) deps.print(lines);
    }
  } finally {
    session.close();
  }
}
