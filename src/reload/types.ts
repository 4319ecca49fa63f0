import type { CheckOptions } from '../health/check.js';
import type { CheckReport } from '../health/types.js';
import type { PreflightReport } from '../preflight/types.js';
import type { AppSignal, RestartSignal } from './signals.js';

/** What `wsgictl reload` (and `watch --group`) asks for. */
export interface ReloadRequest {
  /** Literal group names; empty with `all`. */
  groups: string[];
  /** Every group of the chosen instance(s). */
  all?: boolean;
  /**
   * Default SIGINT; SIGUSR1 with --graceful. Anything else is refused (see assertRestartSignal); SIGKILL
   * only follows one of these, with `killAfterMs`.
   */
  signal?: RestartSignal;
  /** One process at a time: the next is signalled once the previous one's replacement is up. */
  rolling?: boolean;
  /**
   * How long to wait for replacements (default 30 s): with `rolling`, for each process (every step gets the
   * whole time), otherwise for the whole group.
   */
  timeoutMs?: number;
  /**
   * Send SIGKILL to a signalled process still running (as the same process, still the group's) this long
   * after its signal. Must be shorter than `timeoutMs`; needs the wait; not with `touch`.
   */
  killAfterMs?: number;
  /** Wait for replacements (default true). */
  wait?: boolean;
  /** Only the instance with this parent pid. */
  instance?: number;
  /** Plan and run every check, signal nothing. */
  dryRun?: boolean;
  /**
   * Go by the configuration even when it changed after Apache read it, or holds a condition wsgictl cannot
   * decide. Evidence that contradicts the configuration still refuses.
   */
  trustConfig?: boolean;
  /** Instead of signalling, set this WSGI script's mtime (WSGIScriptReloading restarts on the next request). */
  touch?: string;
  /** With `touch`: request this URL so the restart happens now, then confirm the replacements. */
  url?: string;
  /** Once the replacements are up, request the group's mount points (or these URLs) and judge the answers. */
  check?: CheckOptions;
  /**
   * Compile the groups' changed Python sources before any signal, and refuse on one that does not compile
   * (default true; false: `--no-preflight`; 'import': also import each WSGI script once it compiles, as
   * `--preflight import` asks: its code runs).
   */
  preflight?: boolean | 'import';
  /**
   * Replace this many members one at a time, proving each (its own log lines, still up) before the next,
   * then the rest at once; a member that fails stops the reload there (outcome `canary-failed`).
   */
  canary?: number;
}

/**
 * A reload request with the options only Windows' whole-Apache restart reads; every other platform refuses
 * them (reload/platform-options.ts). Here, not in windows/, because the CLI builds it and reload/ checks it.
 */
export interface WindowsReloadRequest extends ReloadRequest {
  /** The Apache service to restart when its event cannot be set (default: found by pid). */
  service?: string;
  /** The pidfile that names the Apache parent. */
  pidfile?: string;
  /** When the graceful steps fail, allow `net stop` + `net start` (cuts requests in flight). */
  allowStopStart?: boolean;
}

/** Windows: how the graceful Apache restart that stands for a reload was done. */
export interface RestartReport {
  /** The step that worked (`event ap1234_restart`, ...), or null. */
  method: string | null;
  service: string | null;
  /** Every step tried, in order, with how it ended. */
  attempts: { step: string; outcome: string; detail: string }[];
  /** What the user should know about how it was done (a hard restart cut the requests in flight). */
  note?: string;
}

/**
 * `stopped`: a stop request (Ctrl-C) ended a rolling reload between two steps, or came before the group's
 * turn: the processes signalled were replaced, the others were left running, not signalled.
 * `start-failed`: replacements logged that they could not be set up (see `startFailed`).
 * `canary-failed`: a replacement proven one at a time (--rolling --check, --canary) logged an error or
 * exited: the reload stopped there, the members not yet signalled keep the old code (see `canary`).
 */
export type ReloadOutcome =
  | 'replaced'
  | 'sent'
  | 'touched'
  | 'timeout'
  | 'crash-loop'
  | 'start-failed'
  | 'canary-failed'
  | 'dry-run'
  | 'stopped';

/**
 * What became of one planned process: `replaced` (gone, `newPid` up), `missing` (gone, no replacement yet),
 * `draining` (signalled but still running as the same process at the timeout, with requests in flight:
 * `inFlight`), `still-running` (the same, with no request in flight or none that could be seen: `reason`),
 * `killed` (still running `killAfterMs` after its signal, so sent SIGKILL; `newPid` once replaced),
 * `not-signalled` (a rolling reload stopped before its turn, or a dry run), `signalled` (sent, not waited
 * for), `skipped` (found changed just before its signal; `reason` says how).
 */
export type MemberState =
  | 'replaced'
  | 'missing'
  | 'draining'
  | 'still-running'
  | 'killed'
  | 'not-signalled'
  | 'signalled'
  | 'skipped';

export interface MemberReport {
  pid: number;
  state: MemberState;
  newPid?: number;
  reason?: string;
  /** Read before the signal: it ignores the signal sent (SigIgn), so it will not exit of itself. */
  ignoresSignal?: true;
  /** Read before the signal: every thread blocks the signal sent (SigBlk), so it stays pending. */
  blocksSignal?: true;
  /** With `draining`: the requests it was serving at the end (connections accepted on its listener). */
  inFlight?: number;
  /** With `killed`: how long after its signal the SIGKILL went. */
  killedAfterMs?: number;
}

/** What happened to one group in one instance; with `check`, also how the new daemons answered. */
export interface GroupReloadResult extends Partial<CheckReport> {
  /** The host it ran on, when wsgictl reached it over ssh (--host). */
  host?: string;
  instance: number;
  group: string;
  /**
   * The signal sent; "touch" when the WSGI script was touched instead; "apache-restart" on Windows, where
   * the whole Apache restarts (see `restart`).
   */
  signal: RestartSignal | 'touch' | 'apache-restart';
  oldPids: number[];
  newPids: number[];
  /** From the first signal to the last replacement (or to giving up). */
  ms: number;
  outcome: ReloadOutcome;
  /** Processes left alone, with the reason (pid reused, ambiguous group, ...). */
  skipped: { pid: number; reason: string }[];
  /** How many signalled processes had no replacement at the timeout (draining ones included). */
  missing: number;
  /** Every planned process (`oldPids`, in that order) and what became of it. */
  members: MemberReport[];
  /**
   * What the user must know before the wait, each one line (a process that ignores the signal, ...); also
   * sent as `warning` events as they are found.
   */
  warnings?: string[];
  /** With --kill-after: the SIGKILL's delay after each signal. */
  killAfterMs?: number;
  /** Windows only: how Apache was restarted. */
  restart?: RestartReport;
  /**
   * With outcome `crash-loop`: the replacements that came up and died during the wait (mod_wsgi's parent
   * re-created each); `errors` and `errorLogs` then hold what the error log says about them.
   */
  crashLoop?: {
    restarts: number;
    pids: number[];
    /** The error-log line that shows each of `pids` ended abnormally, in the same order. */
    evidence?: string[];
  };
  /**
   * With outcome `start-failed`: the replacements that said they could not be set up (mod_wsgi makes them
   * sleep 20 s before they exit), each with its own log lines; the wait stopped as soon as they were read.
   */
  startFailed?: { pid: number; lines: string[] }[];
  /** With outcome `canary-failed`: the replacements judged, why they failed, and their own error lines. */
  canary?: { ok: boolean; pids: number[]; loaded: boolean; reason?: string; lines: string[] };
  /**
   * Replacements that came up and ended during the wait, each with what the log says about how: `churn`
   * (exit 0, a signal someone sent, mod_wsgi's own restart reason), `crash`, or `unknown` (no line says).
   */
  replacementsEnded?: { pid: number; kind: 'churn' | 'crash' | 'unknown'; why?: string; line?: string }[];
  /**
   * Another reload of the same Apache instance held its lock when this one started: this one waited `ms`
   * for it (`pid` held it; null when it could not be seen), then planned from the processes as they were.
   */
  waitedForLock?: { pid: number | null; ms: number };
  /** What the pre-flight compiled before any signal, and how long it took; absent with --no-preflight. */
  preflight?: PreflightReport;
}

/** Progress while a reload runs, for live output (watch, rolling). */
export type ReloadEvent =
  | { type: 'signalled'; instance: number; group: string; pid: number; signal: RestartSignal | AppSignal }
  | { type: 'replaced'; instance: number; group: string; oldPid: number; newPid: number }
  /** A rolling step whose process was replaced, where nothing proves which of the new members is its own. */
  | { type: 'stepped'; instance: number; group: string; oldPid: number; newPids: number[] }
  /** Another reload of this instance holds its lock: this one waits for its turn. */
  | { type: 'waiting'; instance: number; holder: { pid: number | null; command: string | null } }
  | { type: 'killed'; instance: number; group: string; pid: number; afterMs: number }
  | { type: 'warning'; instance: number; group: string; pid: number; message: string };
