import { type Follower, openLog } from '../errorlog/follow.js';
import type { ErrorLogSource } from '../errorlog/locate.js';
import { parseLogLine } from '../errorlog/parse.js';
import { type LifeEvent, readLifeEvent } from './restarts.js';

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/**
 * Milliseconds of Apache's `[Thu Dec 03 13:10:07.123456 2026]`, which it writes in local time; null for
 * another ErrorLogFormat.
 */
export function readLocalLineTime(raw: string): number | null {
  const match = /^\[\w{3} (\w{3}) +(\d+) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? (\d{4})\]/.exec(raw);
  if (!match) return null;
  const month = MONTHS.indexOf(match[1] as string) / 3;
  if (month < 0) return null;
  const [day, hours, minutes, seconds, year] = [match[2], match[3], match[4], match[5], match[7]].map(Number);
  const fraction = Number(`0.${match[6] ?? '0'}`) * 1000;
  return new Date(year as number, month, day, hours, minutes, seconds).getTime() + fraction;
}

/** At most this many lifecycle events are kept per log: a restart storm cannot grow memory without bound. */
export const MAX_EVENTS = 50_000;

interface WatchedLog {
  path: string;
  follower: Follower | null;
  reason: string | null;
  events: LifeEvent[];
}

/** The lifecycle events of an instance's error logs, read from their last 8 MiB on, then as they grow. */
export interface LogWatch {
  /** Reads what was written since the last call; a log that cannot be read keeps its reason. */
  refresh(keepSinceMs: number): void;
  /** The events of these logs in time order, and why any of them cannot be read. */
  eventsOf(sources: ErrorLogSource[]): { events: LifeEvent[]; unreadable: string[] };
  close(): void;
}

function toEvents(lines: string[], lastMs: number): { events: LifeEvent[]; lastMs: number } {
  const events: LifeEvent[] = [];
  let at = lastMs;
  for (const raw of lines) {
    at = readLocalLineTime(raw) ?? at;
    // Most lines are not mod_wsgi's lifecycle: a cheap test before the parse.
    if (!raw.includes('[wsgi:')) continue;
    const event = readLifeEvent(parseLogLine(raw), at);
    if (event) events.push(event);
  }
  return { events, lastMs: at };
}

/** Watches the error logs (inside `root`: a container's are under /proc/PID/root) as they are named. */
export function createLogWatch(root: string): LogWatch {
  const logs = new Map<string, WatchedLog>();
  const lastMs = new Map<string, number>();

  const open = (path: string): WatchedLog => {
    const known = logs.get(path);
    if (known) return known;
    const log: WatchedLog = { path, follower: null, reason: null, events: [] };
    try {
      const { lines, follower } = openLog(root, path);
      log.follower = follower;
      const read = toEvents(lines, 0);
      log.events = read.events;
      lastMs.set(path, read.lastMs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      log.reason =
        code === 'EACCES' || code === 'EPERM'
          ? `${path} is not readable to this user (run as root)`
          : `${path} cannot be read (${code ?? (error as Error).message})`;
    }
    logs.set(path, log);
    return log;
  };

  return {
    refresh(keepSinceMs) {
      for (const log of logs.values()) {
        if (log.follower) {
          const read = toEvents(log.follower.readNew().lines, lastMs.get(log.path) ?? 0);
          lastMs.set(log.path, read.lastMs);
          log.events.push(...read.events);
        }
        const first = log.events.findIndex((event) => event.atMs >= keepSinceMs);
        log.events.splice(0, first === -1 ? log.events.length : first);
        if (log.events.length > MAX_EVENTS) log.events.splice(0, log.events.length - MAX_EVENTS);
      }
    },
    eventsOf(sources) {
      const events: LifeEvent[] = [];
      const unreadable: string[] = [];
      for (const source of sources) {
        if (source.path === null) {
          unreadable.push(`${source.written} is ${source.reason ?? 'not a file'}`);
          continue;
        }
        const log = open(source.path);
        if (log.reason) unreadable.push(log.reason);
        events.push(...log.events);
      }
      // Stable: the lines of one log keep their order within the same moment.
      return { events: events.sort((a, b) => a.atMs - b.atMs), unreadable };
    },
    close() {
      for (const log of logs.values()) log.follower?.close();
      logs.clear();
    },
  };
}
