import type { ErrorLogReport } from '../errorlog/group-errors.js';
import type { CheckOptions } from '../health/check.js';
import type { HealthCheck } from '../health/types.js';
import type { DrainReport } from './drain.js';

export interface GracefulRequest {
  /** The Apache parent pid; required when more than one instance runs. */
  instance?: number;
  /** How long to wait for the new generation (and, with --drain, for each group's drain). */
  timeoutMs: number;
  dryRun?: boolean;
  drain?: boolean;
  check?: CheckOptions;
}

/** One group, before and after. */
export interface GracefulGroup {
  group: string;
  /**
   * `added`: in the new configuration, with no daemons running before; `restarted`: in both; `removed`:
   * daemons of it ran, the new configuration has no such group.
   */
  change: 'added' | 'restarted' | 'removed';
  /** `up`: all its daemons of the new generation run; `planned`: a dry run. */
  state: 'up' | 'failed' | 'removed' | 'planned';
  /** processes= of the new configuration (0 for a removed group). */
  processes: number;
  oldPids: number[];
  newPids: number[];
  /** From the signal to the parent until all its daemons were up; null when they were not. */
  ms: number | null;
  /** What differs from the running group, as far as it can be seen from outside (`processes 2 -> 3`). */
  differences: string[];
  /** Why it failed. */
  reason?: string;
  /** The error-log lines of its new daemons (on a failure, or a failed check). */
  errors?: string[];
  errorLogs?: ErrorLogReport[];
  health?: HealthCheck[];
  unchecked?: string[];
}

export interface GracefulResult {
  instance: number;
  /** The program the config test ran, and its arguments (the instance's own -f/-d/-C/-c/-D, then -t). */
  configTest: { binary: string; args: string[]; ms: number; output: string };
  outcome: 'done' | 'failed' | 'dry-run';
  /** The socket generation before and after (null with WSGISocketRotation Off or when unread). */
  generation: { before: number | null; after: number | null };
  groups: GracefulGroup[];
  /** With --drain: each group's drain before the restart. */
  drained?: DrainReport[];
  /** Daemons of the old generation still running when the wait ended. */
  oldDaemonsLeft: number[];
  /** Why the restart as a whole failed (the parent exited, the timeout), beyond each group's own reason. */
  failure?: string;
  /** From the signal to the parent until every group was up (or the wait ended). */
  ms: number;
}
