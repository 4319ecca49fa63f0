import type { Command } from 'commander';
import { discoverApache } from '../groups/discover.js';
import { assertGroupsExist, daemonGroupsOf } from '../groups/lookup.js';
import { toPsRecords } from '../groups/records.js';
import { neutraliseDeep } from '../terminal.js';
import type { CliContext } from './context.js';
import { addFleetOptions, type FleetFlags, loadFleet, PS_PARALLEL } from './fleet.js';
import { renderPs } from './render/ps.js';

interface PsOptions extends FleetFlags {
  json?: boolean;
  workers?: boolean;
  instance?: number;
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
    const fleet = await loadFleet(options, context);
    if (fleet) return (await import('./fleet-ps.js')).psOnHosts(fleet, command, groups, options, context);
    const { instances, orphans, untrusted } = await discoverApache(context.platform.source, {
      instance: options.instance,
    });
    assertGroupsExist(daemonGroupsOf(instances), groups);
    const services = await context.platform.services();
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
