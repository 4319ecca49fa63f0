import type { LogLine } from '../errorlog/parse.js';

/**
 * Why a daemon ended, as mod_wsgi logs it (4.x, 5.x and 6.x word it differently; each pattern matches all
 * three). `reload`: it was told to stop by a signal (a reload, `kill`) with no reason of its own.
 */
export type RestartReason =
  | 'maximum-requests'
  | 'restart-interval'
  | 'inactivity-timeout'
  | 'request-timeout'
  | 'deadlock-timeout'
  | 'startup-timeout'
  | 'cpu-time-limit'
  | 'reload'
  | 'apache-restart'
  | 'crash'
  | 'exited';

const STOP_REASONS: [RegExp, RestartReason][] = [
  [/^Maximum requests reached/, 'maximum-requests'],
  [/^Application restart timer expired/, 'restart-interval'],
  [/^Daemon process restart timer expired/, 'restart-interval'],
  [/^Daemon process idle inactivity timer expired/, 'inactivity-timeout'],
  [/^Daemon process request time limit exceeded/, 'request-timeout'],
  [/^Daemon process deadlock timer expired/, 'deadlock-timeout'],
  [/^Application startup timer expired/, 'startup-timeout'],
  [/^Exceeded CPU time limit/, 'cpu-time-limit'],
  [/^Process eviction requested/, 'reload'],
  // 6.x's words for SIGUSR1 (4.x/5.x say "Process eviction requested" for it).
  [/^Graceful restart requested/, 'reload'],
  [/^Shutdown requested/, 'reload'],
];

/** A daemon saying it will stop, and why: written by the daemon itself. */
export interface StopEvent {
  kind: 'stop';
  group: string;
  pid: number;
  reason: RestartReason;
  atMs: number;
}

/** The parent's notice that a daemon ended (`Process 'G' terminated ...`, or Apache stopping). */
export interface DeathEvent {
  kind: 'death';
  group: string;
  pid: number;
  /** `exit code N` / `signal N`; `apache-stopping` when the parent deregisters it as Apache stops. */
  status: string;
  atMs: number;
}

export type LifeEvent = StopEvent | DeathEvent;

/** mod_wsgi 4.x/5.x start their own lines with `mod_wsgi (pid=N): `, or `mod_wsgi (pid=N, process=...)`. */
const PREFIX = /^mod_wsgi \(pid=(\d+)[^)]*\): /;
const GROUP = /'([^']*)'/;
const DEATH_4 =
  /^Process '([^']*)' (?:terminated (normally, exit code (\d+)|by signal (\d+))|has died but server is being stopped)/;
const DEATH_6 =
  /^Process '([^']*)' \(pid=(\d+)\) (?:terminated (normally, exit code (\d+)|by signal (\d+))|has died but server is being stopped)/;

/** The lifecycle event a line of the error log records, or null. `atMs`: the line's time. */
export function readLifeEvent(line: LogLine, atMs: number): LifeEvent | null {
  if (line.module !== 'wsgi' || line.pid === null) return null;
  const prefix = PREFIX.exec(line.message);
  const text = prefix ? line.message.slice(prefix[0].length) : line.message;
  const named = prefix ? Number(prefix[1]) : null;
  const death6 = DEATH_6.exec(text);
  const death4 = death6 ? null : DEATH_4.exec(text);
  const death = death6 ?? death4;
  if (death) {
    // 6.x names the dead daemon in the message, 4.x/5.x in the prefix; the line is the parent's.
    const pid = death6 ? Number(death6[2]) : named;
    if (pid === null) return null;
    const [code, signal] = death6 ? [death6[4], death6[5]] : [death4?.[3], death4?.[4]];
    const status =
      code !== undefined
        ? `exit code ${code}`
        : signal !== undefined
          ? `signal ${signal}`
          : 'apache-stopping';
    return { kind: 'death', group: death[1] as string, pid, status, atMs };
  }
  for (const [pattern, reason] of STOP_REASONS) {
    if (!pattern.test(text)) continue;
    const group = GROUP.exec(text)?.[1];
    return group === undefined ? null : { kind: 'stop', group, pid: line.pid, reason, atMs };
  }
  return null;
}

/** One restart: a daemon of the group that ended (the parent starts another), and why. */
export interface Restart {
  pid: number;
  reason: RestartReason;
  atMs: number;
  /** How it ended: `exit code 0`, `signal 9`, `apache-stopping`. */
  status: string;
}

/**
 * The group's restarts among `events` (in log order) at or after `sinceMs`: each death, with the reason its
 * daemon gave before (the first it gave: maximum-requests comes before the SIGINT it sends itself). A death
 * with no reason given is a crash unless it exited 0.
 */
export function collectRestarts(events: readonly LifeEvent[], group: string, sinceMs: number): Restart[] {
  const reasons = new Map<number, RestartReason>();
  const restarts: Restart[] = [];
  for (const event of events) {
    if (event.group !== group) continue;
    if (event.kind === 'stop') {
      if (!reasons.has(event.pid)) reasons.set(event.pid, event.reason);
      continue;
    }
    const given = reasons.get(event.pid);
    reasons.delete(event.pid); // a pid used again later is another process
    if (event.atMs < sinceMs) continue;
    const reason =
      event.status === 'apache-stopping'
        ? 'apache-restart'
        : (given ?? (event.status === 'exit code 0' ? 'exited' : 'crash'));
    restarts.push({ pid: event.pid, reason, atMs: event.atMs, status: event.status });
  }
  return restarts;
}

/**
 * The daemons that said they will stop and have not ended yet (draining their requests), with their
 * reason; `startedAt` tells a process from an earlier one with the same pid.
 */
export function findStopping(
  events: readonly LifeEvent[],
  group: string,
): Map<number, { reason: RestartReason; atMs: number }> {
  const stopping = new Map<number, { reason: RestartReason; atMs: number }>();
  for (const event of events) {
    if (event.group !== group) continue;
    if (event.kind === 'death') stopping.delete(event.pid);
    else if (!stopping.has(event.pid)) stopping.set(event.pid, { reason: event.reason, atMs: event.atMs });
  }
  return stopping;
}
