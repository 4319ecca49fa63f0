import { closeSync } from 'node:fs';
import { type Follower, openLog } from '../errorlog/follow.js';
import type { ErrorLogSource } from '../errorlog/locate.js';
import { parseLogLine } from '../errorlog/parse.js';
import { openRegular, readRange } from '../files/safe-files.js';
import { type LifeEvent, readLifeEvent } from './restarts.js';

const MONTHS = 'JanFebMarAprMayJunJulAugSepOctNovDec';

/**
 * Milliseconds of Apache's `[Thu Dec 03 13:10:07.123456 2026]`, which it writes in local time; null for
 * another ErrorLogFormat.
 */
export function readLocalLineTime(raw: string): number | null {
  const match = STAMP.exec(raw);
  if (!match) return null;
  // Lines of one second share their stamp: the local-time conversion, the costly part, is done once.
  const second = `${match[1]} ${match[2]} ${match[3]}:${match[4]}:${match[5]} ${match[7]}`;
  if (second !== lastSecond.text) {
    const month = MONTHS.indexOf(match[1] as string) / 3;
    const [day, hours, minutes, seconds, year] = [match[2], match[3], match[4], match[5], match[7]].map(
      Number,
    );
    lastSecond.text = second;
    lastSecond.ms =
      month < 0 ? null : new Date(year as number, month, day, hours, minutes, seconds).getTime();
  }
  if (lastSecond.ms === null) return null;
  return lastSecond.ms + Number(`0.${match[6] ?? '0'}`) * 1000;
}

const STAMP = /^\[\w{3} (\w{3}) +(\d+) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))? (\d{4})\]/;
const lastSecond: { text: string; ms: number | null } = { text: '', ms: null };

/** At most this many lifecycle events are kept per log: a restart storm cannot grow memory without bound. */
export const MAX_EVENTS = 50_000;

/**
 * How much of each log is read when top opens it: enough for an hour of a busy group's lifecycle lines at
 * LogLevel info, little enough that `top --once` costs about what `ps` does. Restarts before the oldest line
 * read are not counted, and `readFromMs` says so.
 */
export const TOP_TAIL_BYTES = 4 << 20;

interface WatchedLog {
  path: string;
  /** When the read was cut: the time of the oldest line read. */
  readFromMs: number | null;
  follower: Follower | null;
  reason: string | null;
  events: LifeEvent[];
}

/** The lifecycle events of an instance's error logs, read from their last 8 MiB on, then as they grow. */
export interface LogWatch {
  /** Reads what was written since the last call; a log that cannot be read keeps its reason. */
  refresh(keepSinceMs: number): void;
  /** The events of these logs in time order, and why any of them cannot be read. */
  eventsOf(sources: ErrorLogSource[]): {
    events: LifeEvent[];
    unreadable: string[];
    /** The latest of the logs' oldest lines read, when a read was cut: no restart before it is known. */
    readFromMs: number | null;
  };
  close(): void;
}

/** Words every lifecycle line holds (restarts.ts): a cheap test that skips the other lines unparsed. */
const LIFECYCLE =
  /Shutdown requested|terminated (?:normally|by signal)|has died but|Maximum requests|timer expired|time limit exceeded|Exceeded CPU|eviction requested|Graceful restart requested/;

function toEvent(raw: string): LifeEvent | null {
  if (!raw.includes('[wsgi:')) return null;
  const atMs = readLocalLineTime(raw);
  // A lifecycle line always starts with Apache's stamp; another ErrorLogFormat gives no time to count by.
  return atMs === null ? null : readLifeEvent(parseLogLine(raw), atMs);
}

function toEvents(lines: string[]): LifeEvent[] {
  return lines.flatMap((raw) => (LIFECYCLE.test(raw) ? (toEvent(raw) ?? []) : []));
}

const LIFECYCLE_ANYWHERE = new RegExp(LIFECYCLE.source, 'g');

/**
 * The events in a chunk of whole lines, found without splitting it: a search for the lifecycle words over
 * the whole text, then only the lines they are on are parsed (a log of 4 MiB has few of them).
 */
export function findEventsInText(text: string): LifeEvent[] {
  const events: LifeEvent[] = [];
  LIFECYCLE_ANYWHERE.lastIndex = 0;
  for (let match = LIFECYCLE_ANYWHERE.exec(text); match; match = LIFECYCLE_ANYWHERE.exec(text)) {
    const start = text.lastIndexOf('\n', match.index) + 1;
    const newline = text.indexOf('\n', match.index);
    const end = newline === -1 ? text.length : newline;
    const event = toEvent(text.slice(start, end));
    if (event) events.push(event);
    LIFECYCLE_ANYWHERE.lastIndex = end;
  }
  return events;
}

/** The whole lines of the last `bytes` of the file, and whether that cut some off its start. */
function readTail(root: string, path: string, bytes: number): { text: string; cut: boolean } {
  const { fd, size } = openRegular(root, path);
  try {
    const start = Math.max(0, size - bytes);
    let text = readRange(fd, start, size).toString('utf8');
    if (start > 0) text = text.slice(text.indexOf('\n') + 1);
    return { text: text.slice(0, text.lastIndexOf('\n') + 1), cut: start > 0 };
  } finally {
    closeSync(fd);
  }
}

/** Watches the error logs (inside `root`: a container's are under /proc/PID/root) as they are named. */
export function createLogWatch(root: string): LogWatch {
  const logs = new Map<string, WatchedLog>();

  const open = (path: string): WatchedLog => {
    const known = logs.get(path);
    if (known) return known;
    const log: WatchedLog = { path, readFromMs: null, follower: null, reason: null, events: [] };
    try {
      const { text, cut } = readTail(root, path, TOP_TAIL_BYTES);
      log.events = findEventsInText(text);
      if (cut) {
        for (const line of text.slice(0, 64 << 10).split('\n')) {
          log.readFromMs = readLocalLineTime(line);
          if (log.readFromMs !== null) break;
        }
      }
      // Followed from here on. A line written between the read above and this open is not seen: Apache writes
      // each line in one write, so that is only what arrived within these microseconds.
      log.follower = openLog(root, path, 0).follower;
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
          log.events.push(...toEvents(log.follower.readNew().lines));
        }
        const first = log.events.findIndex((event) => event.atMs >= keepSinceMs);
        log.events.splice(0, first === -1 ? log.events.length : first);
        if (log.events.length > MAX_EVENTS) log.events.splice(0, log.events.length - MAX_EVENTS);
      }
    },
    eventsOf(sources) {
      const events: LifeEvent[] = [];
      const unreadable: string[] = [];
      let readFromMs: number | null = null;
      for (const source of sources) {
        if (source.path === null) {
          unreadable.push(`${source.written} is ${source.reason ?? 'not a file'}`);
          continue;
        }
        const log = open(source.path);
        if (log.reason) unreadable.push(log.reason);
        if (log.readFromMs !== null) readFromMs = Math.max(readFromMs ?? 0, log.readFromMs);
        events.push(...log.events);
      }
      // Stable: the lines of one log keep their order within the same moment.
      return { events: events.sort((a, b) => a.atMs - b.atMs), unreadable, readFromMs };
    },
    close() {
      for (const log of logs.values()) log.follower?.close();
      logs.clear();
    },
  };
}
