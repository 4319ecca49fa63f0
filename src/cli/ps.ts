import type { Command } from 'commander';
import { discoverApache } from '../apache/discover.js';
import { assertGroupsExist } from '../apache/select.js';
import { toPsRecords } from '../ps/records.js';
import type { CliContext } from './context.js';
import { renderPs } from './render-ps.js';

interface PsOptions {
  json?: boolean;
  workers?: boolean;
  instance?: number;
}

export function registerPs(program: Command, context: CliContext, parsePid: (value: string) => number): void {
  program
    .command('ps')
    .description('list Apache instances, their mod_wsgi daemon groups and every member process')
    .argument('[group...]', 'show only these groups (literal names)')
    .option('--json', 'print a flat JSON array, one record per process')
    .option('--workers', 'also list the Apache parent and its workers')
    .option('--instance <pid>', 'only the Apache instance with this parent pid', parsePid)
    .action(async (groups: string[], options: PsOptions) => {
      const { instances, orphans } = await discoverApache(context.source(), { instance: options.instance });
      assertGroupsExist(instances, groups);
      const services = await context.services();
      if (options.json) {
        context.out(`${JSON.stringify(toPsRecords(instances, groups, services, orphans), null, 2)}\n`);
        return;
      }
      context.out(
        `${renderPs(instances, { groups, workers: options.workers ?? false, now: context.now(), color: context.color, services, orphans })}\n`,
      );
    });
}
