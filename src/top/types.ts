import type { RestartReason } from './restarts.js';

/**
 * What a member is doing: `serving` requests now, `idle`, `draining` (it said it will stop and finishes
 * its requests), `ignoring SIGINT` (a reload's default signal would not end it), or `unknown` when its fds
 * are closed to us (not root).
 */
export type MemberState = 'serving' | 'idle' | 'draining' | 'ignoring SIGINT' | 'unknown';

export interface TopMember {
  pid: number;
  startedAt: string;
  uptimeMs: number;
  /** CPU % of one core over the window (see TopSnapshot.cpuWindow); null when the platform does not tell. */
  cpuPercent: number | null;
  rssBytes: number | null;
  threads: number | null;
  /** Connected sockets on its listener: requests it serves now; null without root. */
  inFlight: number | null;
  state: MemberState;
}

export interface TopRestart {
  pid: number;
  reason: RestartReason;
  at: string;
  status: string;
}

export interface TopGroup {
  /** The Apache parent's pid. */
  instance: number;
  group: string;
  /** Members running now, and how many the configuration asks for (null when it was not read). */
  up: number;
  configured: number | null;
  cpuPercent: number | null;
  rssBytes: number | null;
  /** null when any member's could not be told (not root). */
  inFlight: number | null;
  /**
   * Daemons that ended (and were restarted by the parent) in the window, from mod_wsgi's own lines in the
   * group's error logs; null when the logs cannot tell (see `restartsUnknown`), never a made-up 0.
   */
  restarts: number | null;
  /**
   * Restarts are counted from this moment: an hour ago, or the oldest line read when the log holds more
   * than top reads of it (its last 4 MiB).
   */
  restartsSince: string;
  /** Why `restarts` is null: the LogLevel hides the lines, or a log cannot be read. */
  restartsUnknown: string | null;
  /** How many restarts each reason caused in the window. */
  reasons: Partial<Record<RestartReason, number>>;
  lastRestart: TopRestart | null;
  members: TopMember[];
}

export interface TopSnapshot {
  at: string;
  /**
   * `interval`: CPU % over the time since the previous sample (`windowMs`); `lifetime`: the first sample,
   * CPU time over each process's uptime.
   */
  cpuWindow: 'interval' | 'lifetime';
  windowMs: number | null;
  /** Restarts are counted since this moment. */
  restartsSince: string;
  groups: TopGroup[];
  /** Figures this user cannot see, and why: said once, not per row. */
  notes: string[];
}
