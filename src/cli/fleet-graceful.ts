import type { Command } from 'commander';
import { forwardArguments } from '../fleet/forward.js';
import { type HostOutcome, isRecord, printedJson } from '../fleet/outcome.js';
import type { HostRun } from '../fleet/pool.js';
import type { Fleet } from '../fleet/remote.js';
import type { FleetFlags } from '../fleet/resolve.js';
import type { GracefulResult } from '../graceful/types.js';
import { LINE_MAX_CHARS, neutraliseDeep, neutraliseLines } from '../terminal.js';
import type { CliContext } from './context.js';
import { runEachHost } from './fleet-reload.js';

/** The most lines of a host's failed config test shown under its name. */
const CONFIG_TEST_LINES = 20;

/** What a host's `graceful --json` printed: its result, or its failed config test's output. */
export type HostGraceful =
  | { kind: 'result'; result: GracefulResult }
  | { kind: 'config-test-failed'; output: string };

/**
 * The host's printed JSON, if it has the shape `graceful --json` prints: a host is hostile input, so a
 * document without the fields the rendering reads is no result (the host is then shown by its outcome only).
 */
export function readHostGraceful(outcome: HostOutcome): HostGraceful | undefined {
  const parsed = printedJson(outcome);
  if (!isRecord(parsed)) return undefined;
  if (parsed.outcome === 'config-test-failed' && typeof parsed.output === 'string')
    return { kind: 'config-test-failed', output: parsed.output };
  const test = parsed.configTest;
  const generation = parsed.generation;
  const fine =
    typeof parsed.instance === 'number' &&
    typeof parsed.outcome === 'string' &&
    typeof parsed.ms === 'number' &&
    isRecord(test) &&
    typeof test.binary === 'string' &&
    Array.isArray(test.args) &&
    test.args.every((arg) => typeof arg === 'string') &&
    typeof test.output === 'string' &&
    typeof test.ms === 'number' &&
    isRecord(generation) &&
    Array.isArray(parsed.groups) &&
    parsed.groups.every(isGroup) &&
    Array.isArray(parsed.oldDaemonsLeft) &&
    (parsed.drained === undefined || Array.isArray(parsed.drained));
  return fine ? { kind: 'result', result: parsed as unknown as GracefulResult } : undefined;
}

function isGroup(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.group === 'string' &&
    typeof value.state === 'string' &&
    typeof value.change === 'string' &&
    Array.isArray(value.oldPids) &&
    Array.isArray(value.newPids) &&
    Array.isArray(value.differences)
  );
}

/**
 * `graceful --host ...`: each host's own `wsgictl graceful` (its config test, its restart, its wait), host
 * after host by default, the first failure stopping the run unless --keep-going; see runEachHost.
 */
export async function gracefulOnHosts(
  fleet: Fleet,
  command: Command,
  flags: FleetFlags & { json?: boolean },
  context: CliContext,
  describe: (result: GracefulResult) => string[],
): Promise<void> {
  const args = ['graceful', ...forwardArguments(command, [])];
  if (!flags.json) args.push('--json');
  const read = (run: HostRun) => (run.outcome ? readHostGraceful(run.outcome) : undefined);
  await runEachHost(fleet, args, flags, context, {
    describe: (run) => {
      const said = read(run);
      if (said?.kind === 'result') return describe(neutraliseDeep(said.result, LINE_MAX_CHARS));
      if (said?.kind === 'config-test-failed') {
        const lines = neutraliseLines(said.output.trim() || '(Apache printed nothing)', LINE_MAX_CHARS)
          .split('\n')
          .slice(0, CONFIG_TEST_LINES);
        return ['config test failed, nothing was signalled:', ...lines.map((line) => `  ${line}`)];
      }
      return [];
    },
    report: (run) => {
      const said = read(run);
      return {
        host: run.host,
        state: run.state,
        exitCode: run.outcome ? run.outcome.exitCode : null,
        ms: run.ms,
        ...(run.outcome?.version ? { wsgictl: run.outcome.version } : {}),
        ...(said?.kind === 'result' ? { result: said.result } : {}),
        ...(said?.kind === 'config-test-failed' ? { configTestOutput: said.output } : {}),
        ...(run.outcome?.failure ? { error: run.outcome.failure } : {}),
      };
    },
  });
}
