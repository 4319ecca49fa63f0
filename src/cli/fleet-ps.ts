import type { Command } from 'commander';
import { forwardArguments } from '../fleet/forward.js';
import type { Fleet } from '../fleet/remote.js';
import type { FleetFlags } from '../fleet/resolve.js';
import { exitCodeOfRun, runOnHosts } from '../fleet/run.js';
import { mergePsRecords } from '../fleet/summary.js';
import { neutraliseDeep, neutraliseLines } from '../terminal.js';
import type { CliContext } from './context.js';
import { PS_PARALLEL, warnOn } from './fleet.js';
import { describeFailures } from './render/fleet.js';

/**
 * `ps --host ...`: every host at once (up to --parallel). JSON: one array, each record with its `host`;
 * the table: each host's own table under its name, in the order the hosts were given.
 */
export async function psOnHosts(
  fleet: Fleet,
  command: Command,
  groups: string[],
  options: FleetFlags & { json?: boolean },
  context: CliContext,
): Promise<void> {
  const args = ['ps', ...forwardArguments(command, groups)];
  const result = await runOnHosts(
    fleet,
    args,
    { ssh: context.ssh, warn: warnOn(context) },
    { parallel: options.parallel ?? PS_PARALLEL, stopOnFailure: false, detached: false },
    () => {},
  );
  if (options.json) context.out(`${JSON.stringify(mergePsRecords(result.runs), null, 2)}\n`);
  else {
    const sections = neutraliseDeep(result.runs).map((run, i) => {
      const head = context.color.bold(`${run.host}`);
      // The host's own table, as it printed it: its line breaks kept, nothing else that a terminal acts on.
      const table = neutraliseLines(result.runs[i]?.outcome?.envelope?.stdout.trimEnd() ?? '');
      if (run.state === 'done')
        return `${head} ${context.color.dim(`(wsgictl ${run.outcome?.version})`)}\n${table}`;
      return `${head}\n${context.color.red(`  failed: ${run.outcome?.failure?.message}`)}`;
    });
    context.out(`${sections.join('\n\n')}\n`);
  }
  for (const line of describeFailures(result.runs, context.errColor)) context.err(`${line}\n`);
  context.setExitCode(exitCodeOfRun(result));
}
