import type { Command } from 'commander';
import type { HostRun } from '../fleet/pool.js';
import { hostResults } from '../fleet/remote.js';
import type { GroupReloadResult } from '../reload/types.js';
import { LINE_MAX_CHARS, neutralise, neutraliseDeep } from '../terminal.js';
import type { CliContext } from './context.js';
import {
  describeSummary,
  type Fleet,
  type FleetFlags,
  fleetExitCode,
  forwardedArguments,
  reportFailures,
  runOnHosts,
} from './fleet.js';

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

function toReport(run: HostRun): HostReloadReport {
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

/**
 * `reload --host ...`: host after host by default (a rolling deploy across the fleet), each host's own
 * reload as wsgictl does it there, with --rolling inside the host when asked. The first failing host stops
 * the run (hosts already started finish) unless --keep-going; Ctrl-C starts no new host and asks each
 * running one to stop after its current step. Each host's outcome is printed as it finishes, then a summary.
 */
export async function reloadOnHosts(
  fleet: Fleet,
  command: Command,
  groups: string[],
  flags: FleetFlags & { json?: boolean },
  context: CliContext,
  describe: (results: GroupReloadResult[]) => string[],
): Promise<void> {
  const args = ['reload', ...forwardedArguments(command, groups)];
  if (!flags.json) args.push('--json');
  const { color } = context;
  const onDone = (run: HostRun) => {
    if (flags.json) return;
    // What the host said is shown neutralised: its results carry log lines, hence their longer cut.
    const results = neutraliseDeep((run.outcome && hostResults(run.outcome)) ?? [], LINE_MAX_CHARS);
    const lines = describe(results).map((line) => `  ${line}`);
    const failure = neutraliseDeep(run.outcome?.failure);
    if (failure) lines.push(color.red(`  failed: ${failure.message}`));
    context.out(`${color.bold(neutralise(run.host))}\n${lines.join('\n')}\n`);
  };
  const result = await runOnHosts(
    fleet,
    args,
    context,
    {
      parallel: flags.parallel ?? 1,
      stopOnFailure: flags.keepGoing !== true,
      stop: context.stopSignal(),
      // A Ctrl-C in the terminal reaches the whole foreground group: ssh is kept out of it, so that it is
      // not cut off mid-step; the stop reaches the host's wsgictl as a `stop` line instead.
      detached: true,
    },
    onDone,
  );
  if (flags.json) context.out(`${JSON.stringify(result.runs.map(toReport), null, 2)}\n`);
  else context.out(`${describeSummary(result, context).join('\n')}\n`);
  reportFailures(result.runs, context);
  const stoppedAt = result.runs.find((run) => run.state === 'failed');
  const unstarted = result.runs.filter((run) => run.state === 'not-started').length;
  if (stoppedAt && unstarted > 0 && !result.interrupted)
    context.err(
      `${color.red('wsgictl:')} stopped at ${neutralise(stoppedAt.host)}: ${unstarted} host${unstarted === 1 ? '' : 's'} not started (--keep-going goes on after a failed host)\n`,
    );
  const outcomes = result.runs.flatMap((run) => (run.outcome ? [run.outcome] : []));
  context.setExitCode(fleetExitCode(outcomes, result.interrupted));
}
