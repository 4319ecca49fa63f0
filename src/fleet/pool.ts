import { EXIT } from '../errors.js';
import type { HostOutcome } from './outcome.js';

export interface PoolOptions {
  /** Hosts handled at once (at least 1). */
  parallel: number;
  /** Start no new host once one has failed (hosts already running finish). */
  stopOnFailure: boolean;
  /** Resolves when the user asks to stop: no new host starts, running ones finish. */
  stop?: Promise<unknown>;
}

export interface HostRun {
  host: string;
  /** `stopped`: a stop request ended the host's work after its current step (its wsgictl exited 130). */
  state: 'done' | 'failed' | 'stopped' | 'not-started';
  /** When the host was started (ms since the epoch); absent for a host not started. */
  startedAt?: number;
  ms: number;
  outcome?: HostOutcome;
}

export interface PoolResult {
  /** In the order the hosts were given. */
  runs: HostRun[];
  /** A stop request left hosts unstarted. */
  interrupted: boolean;
}

/**
 * Runs `work` for each host, `parallel` at a time, in the order given. `onDone` hears of each host as it
 * finishes, so output can follow the run.
 */
export async function runHosts(
  hosts: string[],
  options: PoolOptions,
  work: (host: string) => Promise<HostOutcome>,
  onDone: (run: HostRun) => void = () => {},
  now: () => number = Date.now,
): Promise<PoolResult> {
  const runs = new Map<string, HostRun>(
    hosts.map((host) => [host, { host, state: 'not-started' as const, ms: 0 }]),
  );
  let next = 0;
  let failed = false;
  let stopped = false;
  options.stop?.then(
    () => (stopped = true),
    () => {},
  );
  const startable = () => next < hosts.length && !stopped && !(failed && options.stopOnFailure);
  const lane = async (): Promise<void> => {
    while (startable()) {
      const host = hosts[next++] as string;
      const started = now();
      const outcome = await work(host);
      const run: HostRun = {
        host,
        state: outcome.exitCode === 0 ? 'done' : outcome.exitCode === EXIT.interrupted ? 'stopped' : 'failed',
        startedAt: started,
        ms: now() - started,
        outcome,
      };
      if (run.state === 'failed') failed = true;
      runs.set(host, run);
      onDone(run);
    }
  };
  const lanes = Math.max(1, Math.min(options.parallel, hosts.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  const all = hosts.map((host) => runs.get(host) as HostRun);
  return {
    runs: all,
    interrupted: stopped && all.some((run) => run.state === 'not-started' || run.state === 'stopped'),
  };
}
