import type { Command } from 'commander';
import { DURATION_HELP } from '../duration.js';
import { EXIT, usageError } from '../errors.js';
import { formatElapsed } from '../format.js';
import { ConfigTestFailedError, gracefulRestart } from '../graceful/graceful.js';
import type { GracefulGroup, GracefulResult } from '../graceful/types.js';
import { parseTimeout } from '../reload/signals.js';
import { LINE_MAX_CHARS, neutralise, neutraliseDeep, neutraliseLines } from '../terminal.js';
import {
  type CheckFlags,
  createCheckOption,
  createCheckTimeoutOption,
  hideInternalPresets,
  toCheckOptions,
} from './check-options.js';
import type { Paint } from './color.js';
import type { CliContext } from './context.js';
import { describeCheck } from './render/check.js';

interface GracefulOptions extends CheckFlags {
  instance?: number;
  drain?: boolean;
  timeout: string;
  dryRun?: boolean;
  json?: boolean;
  host?: string;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 'es'}`;
}

function describeGroup(group: GracefulGroup, color: Paint): string[] {
  const name = color.bold(group.group);
  const differences = group.differences.length > 0 ? ` (${group.differences.join(', ')})` : '';
  const old = group.oldPids.join(' ') || '-';
  if (group.state === 'planned') {
    const what = { added: 'would be added', restarted: 'would restart', removed: 'would be removed' }[
      group.change
    ];
    return [
      `  ${name}: ${what}${group.change === 'removed' ? `; running now: ${old}` : `, ${plural(group.processes, 'process')}`}${differences}`,
    ];
  }
  if (group.state === 'removed') {
    return [`  ${name}: removed (was ${old})${group.reason ? color.yellow(`; ${group.reason}`) : ''}`];
  }
  const change = group.change === 'added' ? 'added' : `restarted (was ${old})`;
  if (group.state === 'up') {
    return [
      `  ${name}: ${change}, ${color.green(`up in ${formatElapsed(group.ms ?? 0)}`)}: ${group.newPids.join(' ')}${differences}`,
      ...describeCheck(group, color, '    '),
    ];
  }
  return [
    `  ${name}: ${change}, ${color.red(`failed: ${group.reason ?? 'not up'}`)}${differences}`,
    ...((group.errors ?? []).length > 0
      ? ['    error log since the restart:', ...(group.errors ?? []).map((line) => `      ${line}`)]
      : []),
  ];
}

/** Apache's last line of a config test that passed ("Syntax OK"), neutralised. */
function summarizeTest(output: string): string {
  return neutralise(output.trim().split('\n').at(-1) || 'OK');
}

/** `result` is neutralised already; `said` is the config test's summary line. */
function describeResult(result: GracefulResult, said: string, color: Paint): string[] {
  const test = result.configTest;
  const lines = [`config test: ${test.binary} ${test.args.join(' ')}: ${said} (${formatElapsed(test.ms)})`];
  for (const drained of result.drained ?? []) {
    const left = drained.left.length > 0 ? color.yellow(`; still running: ${drained.left.join(' ')}`) : '';
    lines.push(
      `drained ${color.bold(drained.group)}: SIGUSR1 to ${drained.pids.join(' ') || 'nothing'}, exited in ${formatElapsed(drained.ms)}${left}`,
    );
  }
  const generation =
    result.generation.before === null && result.generation.after === null
      ? ''
      : `, socket generation ${result.generation.before ?? '?'} -> ${result.generation.after ?? '?'}`;
  if (result.outcome === 'dry-run') {
    lines.push(
      `Apache pid ${result.instance}: would send SIGUSR1 (dry run, nothing sent); the configuration read now says:`,
    );
  } else {
    lines.push(`Apache pid ${result.instance}: SIGUSR1 (graceful restart)${generation}`);
  }
  for (const group of result.groups) lines.push(...describeGroup(group, color));
  if (result.outcome === 'done' && !result.groups.some((group) => group.state === 'up')) {
    lines.push('the new configuration defines no daemon group: there is nothing to wait for');
  } else if (result.outcome === 'done') {
    lines.push(color.green(`every group is up after ${formatElapsed(result.ms)}`));
  }
  if (result.oldDaemonsLeft.length > 0 && result.outcome !== 'dry-run') {
    lines.push(
      color.yellow(
        `old daemons still running: ${result.oldDaemonsLeft.join(' ')} (Apache kills them 3s after its signal)`,
      ),
    );
  }
  return lines;
}

/** A log line's message without its date, level and pid fields, for the one-line error. */
function messageOf(line: string): string {
  return line.replace(/^(\[[^\]]*\] ){3}/, '');
}

/** One line for the error that ends a failed graceful restart: the groups, and the first log line of one. */
function describeFailure(result: GracefulResult): string {
  if (result.failure) return result.failure;
  const failed = result.groups.filter((group) => group.state === 'failed');
  const broken = result.groups.filter((group) => (group.health ?? []).some((entry) => !entry.ok));
  const parts = [];
  if (failed.length > 0) parts.push(`${failed.map((group) => group.group).join(', ')} did not come up`);
  if (broken.length > 0)
    parts.push(`${broken.map((group) => group.group).join(', ')} came up but did not answer`);
  const first = [...failed, ...broken].find((group) => (group.errors ?? []).length > 0);
  const lines = first?.errors ?? [];
  // The first warning or worse says why; the parent's info lines only say that a daemon ended.
  const line =
    lines.find((each) => /^\[[^\]]*\] \[[^\]:]*:(warn|error|crit|alert|emerg)\]/.test(each)) ?? lines[0];
  const said = first && line ? ` (${first.group}: ${messageOf(line)})` : '';
  return `graceful restart of Apache pid ${result.instance}: ${parts.join('; ')}${said}; see above`;
}

export function registerGraceful(
  program: Command,
  context: CliContext,
  parsePid: (value: string) => number,
): void {
  const command = program
    .command('graceful')
    .description(
      "test Apache's configuration with its own command line, restart it gracefully, and wait until every group of the new configuration is up",
    )
    .option(
      '--instance <pid>',
      'the Apache instance with this parent pid (needed when several run)',
      parsePid,
    )
    .option(
      '--drain',
      'first SIGUSR1 each group’s daemons, one group at a time, so that requests in flight finish (up to graceful-timeout per group) instead of being cut 3s into the restart',
    )
    .option('--timeout <duration>', `how long to wait for every group to be up (${DURATION_HELP})`, '30s')
    .option('--dry-run', 'run the config test and show what would change; send nothing')
    .option('--json', 'print the result as one JSON object')
    .option('--host <name>', 'not yet supported: run wsgictl graceful on each host')
    .addOption(createCheckOption())
    .addOption(createCheckTimeoutOption());
  hideInternalPresets(command);
  command.action(async (options: GracefulOptions) => {
    if (options.host !== undefined) {
      throw usageError(
        `graceful does not reach other hosts yet: run it on each host in turn (ssh ${neutralise(options.host)} sudo wsgictl graceful)`,
      );
    }
    const request = {
      instance: options.instance,
      timeoutMs: parseTimeout(options.timeout),
      dryRun: options.dryRun,
      drain: options.drain,
      check: toCheckOptions(options),
    };
    if (request.check && request.dryRun)
      throw usageError('--check needs a restart to judge: leave out --dry-run');
    let result: GracefulResult;
    try {
      result = await gracefulRestart(context.platform.source, request, {
        onProgress: (message) => context.err(`wsgictl: ${neutralise(message)}\n`),
      });
    } catch (error) {
      // Apache's own words first, then our one line (printed by the caller).
      if (error instanceof ConfigTestFailedError && !options.json) {
        const output = error.output.trim() || '(Apache printed nothing)';
        context.err(`${neutraliseLines(output, LINE_MAX_CHARS)}\n`);
      }
      if (error instanceof ConfigTestFailedError && options.json) {
        context.out(`${JSON.stringify({ outcome: 'config-test-failed', output: error.output }, null, 2)}\n`);
      }
      throw error;
    }
    if (options.json) context.out(`${JSON.stringify(result, null, 2)}\n`);
    else
      context.out(
        `${describeResult(neutraliseDeep(result, LINE_MAX_CHARS), summarizeTest(result.configTest.output), context.color).join('\n')}\n`,
      );
    if (result.outcome === 'failed') {
      context.err(`${context.errColor.red('wsgictl:')} ${neutralise(describeFailure(result))}\n`);
      context.setExitCode(EXIT.failed);
    }
  });
}
