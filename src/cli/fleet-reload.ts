import type { Command } from 'commander';
import { forwardArguments } from '../fleet/forward.js';
import type { HostRun } from '../fleet/pool.js';
import type { Fleet } from '../fleet/remote.js';
import { hostResults } from '../fleet/remote.js';
import type { FleetFlags } from '../fleet/resolve.js';
import { exitCodeOfRun, runOnHosts } from '../fleet/run.js';
import { findStopPoint, toHostReport } from '../fleet/summary.js';
import type { GroupReloadResult } from '../reload/types.js';
import { LINE_MAX_CHARS, neutralise, neutraliseDeep } from '../terminal.js';
import type { CliContext } from './context.js';
import { warnOn } from './fleet.js';
import { describeFailures, describeSummary } from './render/fleet.js';

/** How a command run on each host is shown: its lines for one host's outcome, its JSON report. */
export interface HostView {
  /** Lines for one host, from its outcome (already neutralised by the caller where it says so). */
  describe: (run: HostRun) => string[];
  report: (run: HostRun) => unknown;
}

/**
 * `reload --host ...` and `graceful --host ...`: host after host by default (a rolling deploy across the
 * fleet), each host's own command as wsgictl does it there. The first failing host stops the run (hosts
 * already started finish) unless --keep-going; Ctrl-C starts no new host and asks each running one to stop
 * after its current step. Each host's outcome is printed as it finishes, then a summary.
 */
export async function runEachHost(
  fleet: Fleet,
  args: string[],
  flags: FleetFlags & { json?: boolean },
  context: CliContext,
  view: HostView,
): Promise<void> {
  const { color } = context;
  const onDone = (run: HostRun) => {
    if (flags.json) return;
    const lines = view.describe(run).map((line) => `  ${line}`);
    const failure = neutraliseDeep(run.outcome?.failure);
    if (failure) lines.push(color.red(`  failed: ${failure.message}`));
    context.out(`${color.bold(neutralise(run.host))}\n${lines.join('\n')}\n`);
  };
  const result = await runOnHosts(
    fleet,
    args,
    { ssh: context.ssh, warn: warnOn(context) },
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
  if (flags.json) context.out(`${JSON.stringify(result.runs.map(view.report), null, 2)}\n`);
  else context.out(`${describeSummary(result, color).join('\n')}\n`);
  for (const line of describeFailures(result.runs, context.errColor)) context.err(`${line}\n`);
  const stop = findStopPoint(result);
  if (stop)
    context.err(
      `${color.red('wsgictl:')} stopped at ${neutralise(stop.host)}: ${stop.unstarted} host${stop.unstarted === 1 ? '' : 's'} not started (--keep-going goes on after a failed host)\n`,
    );
  context.setExitCode(exitCodeOfRun(result));
}

/** `reload --host ...`: see runEachHost; --rolling applies inside each host. */
export async function reloadOnHosts(
  fleet: Fleet,
  command: Command,
  groups: string[],
  flags: FleetFlags & { json?: boolean },
  context: CliContext,
  describe: (results: GroupReloadResult[]) => string[],
): Promise<void> {
  const args = ['reload', ...forwardArguments(command, groups)];
  if (!flags.json) args.push('--json');
  await runEachHost(fleet, args, flags, context, {
    // What the host said is shown neutralised: its results carry log lines, hence their longer cut.
    describe: (run) =>
      describe(neutraliseDeep((run.outcome && hostResults(run.outcome)) ?? [], LINE_MAX_CHARS)),
    report: toHostReport,
  });
}
