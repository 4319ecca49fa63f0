import { assertForwardable } from './envelope-args.js';
import { fleetExitCode, type HostOutcome, hostOutcome, versionWarning } from './outcome.js';
import { type HostRun, type PoolResult, runHosts } from './pool.js';
import type { Fleet } from './remote.js';
import { runSsh, type SshRunner, sshArguments } from './ssh.js';

export interface RunPool {
  parallel: number;
  stopOnFailure: boolean;
  stop?: Promise<unknown>;
  /** ssh kept out of the terminal's process group, so that a Ctrl-C there does not cut it off. */
  detached: boolean;
}

/**
 * Runs `wsgictl ARGS` on every host (as the pool allows) and hands each outcome on as it comes. What
 * --host would send and the host refuse is a usage error before any host is reached. `warn` hears of a
 * host whose wsgictl is another version.
 */
export function runOnHosts(
  fleet: Fleet,
  args: string[],
  reach: { ssh?: SshRunner; warn: (message: string) => void },
  pool: RunPool,
  onDone: (run: HostRun) => void,
): Promise<PoolResult> {
  assertForwardable(args);
  const ssh = reach.ssh ?? runSsh;
  const work = async (host: string): Promise<HostOutcome> => {
    const output = await ssh(sshArguments(host, fleet.ssh, args), {
      detached: pool.detached,
      stop: pool.stop,
    });
    const outcome = hostOutcome(host, output, fleet.ssh.remoteCommand);
    const warning = versionWarning(outcome);
    if (warning) reach.warn(warning);
    return outcome;
  };
  return runHosts(fleet.hosts, pool, work, onDone);
}

/** The exit code of a whole fleet run, from the hosts that answered. */
export function exitCodeOfRun(result: PoolResult): number {
  const outcomes = result.runs.flatMap((run) => (run.outcome ? [run.outcome] : []));
  return fleetExitCode(outcomes, result.interrupted);
}
