import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleepUnless } from '../clock.js';
import { EXIT } from '../errors.js';
import { type HostOutcome, isRecord, printedJson } from '../fleet/outcome.js';
import type { HostRun } from '../fleet/pool.js';
import type { Fleet } from '../fleet/remote.js';
import { exitCodeOfRun, runOnHosts } from '../fleet/run.js';
import { runSsh, sshExitArguments } from '../fleet/ssh.js';
import { neutralise, neutraliseDeep } from '../terminal.js';
import type { TopSnapshot } from '../top/types.js';
import type { CliContext } from './context.js';
import { PS_PARALLEL, warnOn } from './fleet.js';
import { describeFailures } from './render/fleet.js';
import { formatTopTable } from './render/top.js';

/** One host's sample in a round: its snapshot (groups tagged with the host), or why there is none. */
export interface HostTop {
  host: string;
  snapshot?: TopSnapshot & { groups: (TopSnapshot['groups'][number] & { host: string })[] };
  error?: string;
}

function isMember(value: unknown): boolean {
  return isRecord(value) && typeof value.pid === 'number' && typeof value.state === 'string';
}

function isGroup(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.instance === 'number' &&
    typeof value.group === 'string' &&
    typeof value.up === 'number' &&
    typeof value.restartsSince === 'string' &&
    isRecord(value.reasons) &&
    Array.isArray(value.members) &&
    value.members.every(isMember)
  );
}

/**
 * A host's `top --once --json`, if it has the shape of a snapshot: a host is hostile input, so a document the
 * rendering could not read is no snapshot. Each group is tagged with the host (the host's own tag, if it
 * wrote one, is overwritten).
 */
export function readHostSnapshot(outcome: HostOutcome): HostTop['snapshot'] | undefined {
  const parsed = printedJson(outcome);
  const fine =
    isRecord(parsed) &&
    typeof parsed.at === 'string' &&
    !Number.isNaN(Date.parse(parsed.at)) &&
    typeof parsed.cpuWindow === 'string' &&
    typeof parsed.restartsSince === 'string' &&
    Array.isArray(parsed.notes) &&
    parsed.notes.every((note) => typeof note === 'string') &&
    Array.isArray(parsed.groups) &&
    parsed.groups.every(isGroup);
  if (!fine) return undefined;
  const snapshot = parsed as unknown as TopSnapshot;
  return { ...snapshot, groups: snapshot.groups.map((group) => ({ ...group, host: outcome.host })) };
}

function toHostTop(run: HostRun): HostTop {
  const snapshot = run.outcome && readHostSnapshot(run.outcome);
  if (snapshot) return { host: run.host, snapshot };
  const error =
    run.outcome?.failure?.message ??
    (run.state === 'not-started' ? 'not started' : 'its wsgictl printed no top snapshot');
  return { host: run.host, error };
}

/** A round as the table shows it: each host's table under its name, or its failure. */
function formatRound(round: HostTop[], context: CliContext): string {
  const sections = round.map((entry) => {
    const head = context.color.bold(neutralise(entry.host));
    if (entry.snapshot) return `${head}\n${formatTopTable(entry.snapshot, context.color).trimEnd()}`;
    return `${head}\n${context.color.red(`  failed: ${neutralise(entry.error ?? '')}`)}`;
  });
  return `${sections.join('\n\n')}\n`;
}

/**
 * `top --host ...`: every host at once (up to --parallel), each running `top --once --json` on itself (with
 * `--interval`, its CPU % is measured there over that time). `--once`: one round. Otherwise a round per
 * interval until Ctrl-C, over one persistent ssh connection per host (ControlMaster, sockets in a private
 * folder): the table per host under its name, or with --json one line per round, `{at, hosts: [...]}`.
 */
export async function topOnHosts(
  fleet: Fleet,
  groups: string[],
  options: { once?: boolean; json?: boolean; interval?: string; parallel?: number },
  intervalMs: number,
  context: CliContext,
): Promise<void> {
  const interval = options.once ? options.interval : `${intervalMs}ms`;
  const args = ['top', '--once', '--json', ...(interval ? [`--interval=${interval}`] : []), '--', ...groups];
  const controlDir = options.once ? undefined : mkdtempSync(join(tmpdir(), 'wsgictl-ssh-')); // mode 0700
  const reach: Fleet = controlDir ? { ...fleet, ssh: { ...fleet.ssh, controlDir } } : fleet;
  const stop = context.stopSignal();
  let stopped: 'SIGINT' | 'SIGTERM' | null = null;
  void stop.then((signal) => {
    stopped = signal;
  });
  try {
    for (;;) {
      const started = Date.now();
      const result = await runOnHosts(
        reach,
        args,
        { ssh: context.ssh, warn: warnOn(context) },
        { parallel: options.parallel ?? PS_PARALLEL, stopOnFailure: false, detached: false, stop },
        () => {},
      );
      const round = neutraliseDeep(result.runs.map(toHostTop));
      context.out(
        options.json
          ? `${JSON.stringify({ at: new Date().toISOString(), hosts: round })}\n`
          : `${formatRound(round, context)}${options.once ? '' : '\n'}`,
      );
      if (options.once) {
        for (const line of describeFailures(result.runs, context.errColor)) context.err(`${line}\n`);
        context.setExitCode(exitCodeOfRun(result));
        return;
      }
      if (stopped !== null || result.interrupted) break;
      // A host that fails at once (unreachable) must not make the rounds spin: one round per interval.
      const rest = intervalMs - (Date.now() - started);
      if (rest > 0 && (await sleepUnless(rest, stop))) break;
    }
  } finally {
    if (controlDir) {
      await Promise.allSettled(
        reach.hosts.map((host) =>
          (context.ssh ?? runSsh)(sshExitArguments(host, reach.ssh), { detached: false }),
        ),
      );
      rmSync(controlDir, { recursive: true, force: true });
    }
  }
  context.setExitCode(stopped === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);
}
