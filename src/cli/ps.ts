import type { Command } from 'commander';
import { isRecord, printedArray } from '../fleet/outcome.js';
import { discoverApache } from '../groups/discover.js';
import { assertGroupsExist, daemonGroupsOf } from '../groups/lookup.js';
import { toPsRecords } from '../groups/records.js';
import { neutraliseDeep, neutraliseLines } from '../terminal.js';
import type { CliContext } from './context.js';
import {
  addFleetOptions,
  type Fleet,
  type FleetFlags,
  fleetExitCode,
  fleetOf,
  forwardedArguments,
  PS_PARALLEL,
  reportFailures,
  runOnHosts,
} from './fleet.js';
import { renderPs } from './render/ps.js';

interface PsOptions extends FleetFlags {
  json?: boolean;
  workers?: boolean;
  instance?: number;
}

/**
 * `ps --host ...`: every host at once (up to --parallel). JSON: one array, each record with its `host`;
 * the table: each host's own table under its name, in the order the hosts were given.
 */
async function psOnHosts(
  fleet: Fleet,
  command: Command,
  groups: string[],
  options: PsOptions,
  context: CliContext,
): Promise<void> {
  const args = ['ps', ...forwardedArguments(command, groups)];
  const result = await runOnHosts(
    fleet,
    args,
    context,
    { parallel: options.parallel ?? PS_PARALLEL, stopOnFailure: false, detached: false },
    () => {},
  );
  if (options.json) {
    const records = result.runs.flatMap((run) =>
      run.state === 'done' && run.outcome
        ? (printedArray(run.outcome) ?? []).filter(isRecord).map((record) =>
            // host first in the printed record, and set last: a host's own "host" key is overwritten.
            Object.assign({ host: run.host }, record, { host: run.host }),
          )
        : [],
    );
    context.out(`${JSON.stringify(records, null, 2)}\n`);
  } else {
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
  reportFailures(result.runs, context);
  const outcomes = result.runs.flatMap((run) => (run.outcome ? [run.outcome] : []));
  context.setExitCode(fleetExitCode(outcomes, result.interrupted));
}

export function registerPs(program: Command, context: CliContext, parsePid: (value: string) => number): void {
  const command = program
    .command('ps')
    .description('list Apache instances, their mod_wsgi daemon groups and every member process')
    .argument('[group...]', 'show only these groups (literal names)')
    .option('--json', 'print a flat JSON array, one record per process')
    .option('--workers', 'also list the Apache parent and its workers')
    .option('--instance <pid>', 'only the Apache instance with this parent pid', parsePid);
  addFleetOptions(command, { parallel: `${PS_PARALLEL}`, keepGoing: false });
  command.action(async (groups: string[], options: PsOptions) => {
    const fleet = fleetOf(options, context);
    if (fleet) return psOnHosts(fleet, command, groups, options, context);
    const { instances, orphans, untrusted } = await discoverApache(context.source(), {
      instance: options.instance,
    });
    assertGroupsExist(daemonGroupsOf(instances), groups);
    const services = await context.services();
    if (options.json) {
      context.out(
        `${JSON.stringify(toPsRecords(instances, groups, services, orphans, untrusted), null, 2)}\n`,
      );
      return;
    }
    // Names, paths, doubts come from files and processes other users control: shown neutralised.
    const shown = neutraliseDeep({ groups, services, orphans, untrusted });
    context.out(
      `${renderPs(neutraliseDeep(instances), { ...shown, workers: options.workers ?? false, now: context.now(), color: context.color })}\n`,
    );
  });
}
