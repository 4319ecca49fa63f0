import type { Command } from 'commander';
import { sleepUnless } from '../clock.js';
import { DURATION_HELP, parseDuration } from '../duration.js';
import { EXIT, usageError } from '../errors.js';
import type { FleetFlags } from '../fleet/resolve.js';
import { createTopSampler, type TopSampler } from '../top/sampler.js';
import type { TopSnapshot } from '../top/types.js';
import type { CliContext } from './context.js';
import { addFleetOptions, loadFleet, PS_PARALLEL } from './fleet.js';
import { formatTopTable } from './render/top.js';

interface TopFlags extends FleetFlags {
  json?: boolean;
  once?: boolean;
  interval?: string;
  instance?: number;
}

/** How often the view refreshes unless --interval says otherwise. */
export const DEFAULT_INTERVAL_MS = 2000;
/** Shorter than this, /proc's 10 ms clock ticks make CPU % too coarse to mean anything. */
const MIN_INTERVAL_MS = 200;

function parseInterval(value: string | undefined): number {
  if (value === undefined) return DEFAULT_INTERVAL_MS;
  const ms = parseDuration(value, { option: '--interval' });
  if (ms < MIN_INTERVAL_MS) throw usageError(`--interval ${value} is too short: give at least 200ms`);
  if (ms > 3_600_000) throw usageError(`--interval ${value} is too long: give at most 1h`);
  return ms;
}

/** `--json` (or no terminal): one document or table per interval until Ctrl-C. */
async function stream(
  sampler: TopSampler,
  intervalMs: number,
  json: boolean,
  context: CliContext,
): Promise<void> {
  const stop = context.stopSignal();
  let stopped: 'SIGINT' | 'SIGTERM' | null = null;
  void stop.then((signal) => {
    stopped = signal;
  });
  for (;;) {
    const snapshot = await sampler.sample();
    context.out(json ? `${JSON.stringify(snapshot)}\n` : `${formatTopTable(snapshot, context.color)}\n`);
    if (await sleepUnless(intervalMs, stop)) break;
  }
  context.setExitCode(stopped === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);
}

export function registerTop(
  program: Command,
  context: CliContext,
  parsePid: (value: string) => number,
): void {
  const command = program
    .command('top')
    .description('a live view of every daemon group and process: CPU, memory, requests in flight, restarts')
    .argument('[group...]', 'show only these groups (literal names)')
    .option('--once', 'print one table (or with --json one document) and exit')
    .option('--json', 'print one JSON document per interval, one line each')
    .option(
      '--interval <duration>',
      `time between samples (${DURATION_HELP}); with --once, CPU % is measured over it (default: since each process started)`,
    )
    .option('--instance <pid>', 'only the Apache instance with this parent pid', parsePid);
  addFleetOptions(command, { parallel: `${PS_PARALLEL}`, keepGoing: false });
  command.action(async (groups: string[], options: TopFlags) => {
    const intervalMs = parseInterval(options.interval);
    const fleet = await loadFleet(options, context);
    if (fleet) {
      if (options.instance !== undefined)
        throw usageError('--instance cannot be used with --host: a pid means nothing across hosts');
      if (!options.once && !options.json && context.terminal?.())
        context.err(
          'wsgictl: with --host, top prints a table per host each interval (the keys are for one host)\n',
        );
      const { topOnHosts } = await import('./fleet-top.js');
      return topOnHosts(fleet, groups, options, intervalMs, context);
    }
    const sampler = createTopSampler(context.platform.source, { groups, instance: options.instance });
    try {
      if (options.once) {
        let snapshot = await sampler.sample();
        if (options.interval !== undefined) {
          await new Promise((resolve) => setTimeout(resolve, intervalMs));
          snapshot = await sampler.sample();
        }
        context.out(options.json ? `${JSON.stringify(snapshot)}\n` : formatTopTable(snapshot, context.color));
        return;
      }
      const terminal = context.terminal?.();
      if (options.json || !terminal) return await stream(sampler, intervalMs, options.json ?? false, context);
      const { runTopView } = await import('./top-view.js');
      await runTopView(sampler, { intervalMs, terminal, context });
    } finally {
      sampler.close();
    }
  });
}
