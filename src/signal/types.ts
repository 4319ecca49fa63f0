import type { AppSignal } from '../reload/signals.js';
import type { VersionVerdict } from './decide.js';

/** What `wsgictl signal GROUP HUP|USR2` asks for. */
export interface SignalRequest {
  group: string;
  signal: AppSignal;
  /** The platform the Apache runs on: Windows has no daemons to signal. */
  platform: NodeJS.Platform;
  /** Only the instance with this parent pid. */
  instance?: number;
  /** Plan and run every check, signal nothing. */
  dryRun?: boolean;
  /** As for reload: go by the configuration even when it changed after Apache read it. */
  trustConfig?: boolean;
}

/**
 * What became of one planned process: `alive` (signalled, and the very same process, still the group's,
 * after the wait), `ended` (signalled, and gone or no longer the group's after the wait: `reason`),
 * `skipped` (found changed just before its signal: `reason`), `not-signalled` (a dry run).
 */
export interface SignalMember {
  pid: number;
  state: 'alive' | 'ended' | 'skipped' | 'not-signalled';
  reason?: string;
}

/** One group in one Apache instance: `ended` when the signal ended any of its processes. */
export interface GroupSignalResult {
  instance: number;
  group: string;
  signal: AppSignal;
  /** The mod_wsgi the instance runs, and which of its reports said so. */
  wsgiVersion: VersionVerdict['version'];
  versionFrom: VersionVerdict['from'];
  pids: number[];
  outcome: 'delivered' | 'ended' | 'dry-run';
  members: SignalMember[];
  /** How long after the last signal the processes were looked at again. */
  waitedMs: number;
}
