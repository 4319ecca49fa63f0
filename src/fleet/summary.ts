import type { GroupReloadResult } from '../reload/types.js';
import { isRecord, printedArray } from './outcome.js';
import type { HostRun, PoolResult } from './pool.js';
import { hostResults } from './remote.js';

/** What `reload --json --host ...` prints: one object per host, in the order the hosts were given. */
export interface HostReloadReport {
  host: string;
  state: HostRun['state'];
  exitCode: number | null;
  /** ISO time the host was started; absent when it was not. */
  startedAt?: string;
  ms: number;
  /** The host's wsgictl version, once it answered. */
  wsgictl?: string;
  /** What the host's `wsgictl reload --json` returned: one result per group. */
  results?: GroupReloadResult[];
  error?: { kind: string; message: string };
}

/** One host's run of `reload --host`, as --json prints it. */
export function toHostReport(run: HostRun): HostReloadReport {
  const outcome = run.outcome;
  const results = run.outcome && hostResults(run.outcome);
  return {
    host: run.host,
    state: run.state,
    exitCode: outcome ? outcome.exitCode : null,
    ...(run.startedAt === undefined ? {} : { startedAt: new Date(run.startedAt).toISOString() }),
    ms: run.ms,
    ...(outcome?.version ? { wsgictl: outcome.version } : {}),
    ...(results ? { results } : {}),
    ...(outcome?.failure ? { error: outcome.failure } : {}),
  };
}

/** `ps --json --host ...`: every host's records in one array, each with its `host`, hosts in order. */
export function mergePsRecords(runs: HostRun[]): Record<string, unknown>[] {
  return runs.flatMap((run) =>
    run.state === 'done' && run.outcome
      ? (printedArray(run.outcome) ?? []).filter(isRecord).map((record) =>
          // host first in the printed record, and set last: a host's own "host" key is overwritten.
          Object.assign({ host: run.host }, record, { host: run.host }),
        )
      : [],
  );
}

/**
 * Where a fleet run stopped because a host failed (without --keep-going): that host and how many hosts
 * were never started; undefined when none was left out, or when Ctrl-C stopped it.
 */
export function findStopPoint(result: PoolResult): { host: string; unstarted: number } | undefined {
  const stoppedAt = result.runs.find((run) => run.state === 'failed');
  const unstarted = result.runs.filter((run) => run.state === 'not-started').length;
  if (!stoppedAt || unstarted === 0 || result.interrupted) return undefined;
  return { host: stoppedAt.host, unstarted };
}
