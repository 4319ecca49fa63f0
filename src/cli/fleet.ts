import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { usageError } from '../errors.js';
import { assertForwardable } from '../fleet/envelope-args.js';
import { collectHosts } from '../fleet/hosts.js';
import {
  type FailureKind,
  fleetExitCode,
  type HostOutcome,
  hostOutcome,
  versionWarning,
} from '../fleet/outcome.js';
import { type HostRun, type PoolResult, runHosts } from '../fleet/pool.js';
import type { Fleet } from '../fleet/remote.js';
import { DEFAULT_REMOTE_COMMAND, runSsh, sshArguments } from '../fleet/ssh.js';
import { formatElapsed } from '../format.js';
import { MESSAGE_MAX_CHARS, neutralise, neutraliseDeep } from '../terminal.js';
import { collect } from './collect.js';
import type { CliContext } from './context.js';

/** The options every command that can reach other hosts shares. */
export interface FleetFlags {
  host?: string[];
  hostsFile?: string;
  sshConfig?: string;
  sshOption?: string[];
  remoteWsgictl?: string;
  parallel?: number;
  keepGoing?: boolean;
}

/** The options' long names: never forwarded to the host, whose wsgictl is the last hop. */
const FLEET_FLAGS = new Set([
  '--host',
  '--hosts-file',
  '--ssh-config',
  '--ssh-option',
  '--remote-wsgictl',
  '--parallel',
  '--keep-going',
]);

/** `ps` reaches every host at once up to this many; `reload` one host at a time. */
export const PS_PARALLEL = 16;

function parseParallel(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('expected how many hosts at once (a whole number, 1 or more)');
  return Number(value);
}

export function addFleetOptions(command: Command, use: { parallel?: string; keepGoing: boolean }): Command {
  command
    .option(
      '--host <name>',
      'run on this host over ssh, as ssh names it: web1, deploy@web1, an ssh config alias (repeatable)',
      collect,
    )
    .option('--hosts-file <file>', 'hosts from this file, one per line, # comments; - reads stdin')
    .option('--ssh-config <file>', 'the ssh config file for --host (ssh -F)')
    .option('--ssh-option <option>', 'an ssh option for --host, e.g. Port=2222 (ssh -o; repeatable)', collect)
    .option(
      '--remote-wsgictl <command>',
      `the command that starts wsgictl on each host (default "${DEFAULT_REMOTE_COMMAND}"; e.g. "sudo -n wsgictl")`,
    );
  if (use.parallel !== undefined)
    command.option('--parallel <n>', `hosts handled at once (default ${use.parallel})`, parseParallel);
  if (use.keepGoing)
    command.option('--keep-going', 'go on with the next hosts after a host fails (default: stop there)');
  return command;
}

/** The hosts to reach and how, or null to run here; ssh options without hosts are a mistake. */
export function fleetOf(flags: FleetFlags, context: CliContext): Fleet | null {
  const hosts = collectHosts(flags, context.cwd, context.readStdin ?? (() => readFileSync(0, 'utf8')));
  if (hosts.length === 0) {
    const stray = (
      [
        ['--ssh-config', flags.sshConfig],
        ['--ssh-option', flags.sshOption],
        ['--remote-wsgictl', flags.remoteWsgictl],
        ['--parallel', flags.parallel],
        ['--keep-going', flags.keepGoing],
      ] as const
    ).find(([, value]) => value !== undefined);
    if (stray) throw usageError(`${stray[0]} goes with --host NAME or --hosts-file FILE`);
    return null;
  }
  return {
    hosts,
    ssh: {
      configFile: flags.sshConfig === undefined ? undefined : resolve(context.cwd, flags.sshConfig),
      options: flags.sshOption ?? [],
      remoteCommand: flags.remoteWsgictl ?? DEFAULT_REMOTE_COMMAND,
    },
  };
}

/**
 * The arguments given on this command line, to be given again on each host: every option the user typed
 * (as `--name=value`, never ambiguous), without the fleet's own.
 */
export function forwardedArguments(command: Command, positional: string[]): string[] {
  const args = [...positional];
  const values = command.opts();
  for (const option of command.options) {
    const key = option.attributeName();
    if (command.getOptionValueSource(key) !== 'cli' || FLEET_FLAGS.has(option.long ?? '')) continue;
    const value = values[key] as unknown;
    const long = option.long as string;
    if (option.negate || value === true) args.push(long);
    else if (Array.isArray(value)) {
      if (value.length === 0) args.push(long);
      else for (const each of value) args.push(`${long}=${each}`);
    } else if (value !== false && value !== undefined) args.push(`${long}=${value}`);
  }
  return args;
}

/** Runs `wsgictl ARGS` on every host (as the pool allows) and hands each outcome on as it comes. */
export function runOnHosts(
  fleet: Fleet,
  args: string[],
  context: CliContext,
  pool: { parallel: number; stopOnFailure: boolean; stop?: Promise<unknown>; detached: boolean },
  onDone: (run: HostRun) => void,
): Promise<PoolResult> {
  assertForwardable(args);
  const ssh = context.ssh ?? runSsh;
  const work = async (host: string): Promise<HostOutcome> => {
    const output = await ssh(sshArguments(host, fleet.ssh, args), {
      detached: pool.detached,
      stop: pool.stop,
    });
    const outcome = hostOutcome(host, output, fleet.ssh.remoteCommand);
    const warning = versionWarning(outcome);
    if (warning) context.err(`${context.errColor.yellow('wsgictl:')} ${neutralise(warning)}\n`);
    return outcome;
  };
  return runHosts(fleet.hosts, pool, work, onDone);
}

/** One line per host that failed, on stderr: the host, what went wrong, what to do. */
export function reportFailures(runs: HostRun[], context: CliContext): void {
  for (const run of runs) {
    const failure = run.outcome?.failure;
    if (run.state === 'failed' && failure)
      context.err(
        `${context.errColor.red('wsgictl:')} ${neutralise(run.host)}: ${neutralise(failure.message, MESSAGE_MAX_CHARS)}\n`,
      );
  }
}

const REASON: Record<FailureKind, string> = {
  unreachable: 'unreachable',
  refused: 'ssh connection refused',
  auth: 'ssh authentication failed',
  'host-key': 'host key not known or changed',
  ssh: 'ssh failed',
  'not-installed': 'wsgictl not installed',
  sudo: 'sudo wants a password',
  'too-old': 'wsgictl too old',
  'too-large': 'output too large',
  remote: '',
};

/** Why a host failed, in a few words (its whole message is on stderr). */
function shortReason(failure: { kind: FailureKind; message: string } | undefined): string {
  if (!failure) return '';
  return REASON[failure.kind] || failure.message;
}

/** After a fleet reload: per host done / failed (why) / not started, and how long each took. */
export function describeSummary(raw: PoolResult, context: CliContext): string[] {
  const { color } = context;
  const result = neutraliseDeep(raw);
  const count = (state: HostRun['state']) => result.runs.filter((run) => run.state === state).length;
  const width = Math.max(...result.runs.map((run) => run.host.length));
  const lines = [
    color.bold(
      `hosts: ${count('done')} done, ${count('failed')} failed,${count('stopped') > 0 ? ` ${count('stopped')} stopped,` : ''} ${count('not-started')} not started${result.interrupted ? ' (stopped by Ctrl-C)' : ''}`,
    ),
  ];
  for (const run of result.runs) {
    const name = run.host.padEnd(width);
    if (run.state === 'done')
      lines.push(`  ${name}  ${color.green('done')}         ${formatElapsed(run.ms)}`);
    else if (run.state === 'stopped')
      lines.push(
        `  ${name}  ${color.yellow('stopped')}      ${formatElapsed(run.ms)}  after its current step (Ctrl-C)`,
      );
    else if (run.state === 'failed')
      lines.push(
        `  ${name}  ${color.red('failed')}       ${formatElapsed(run.ms)}  ${shortReason(run.outcome?.failure)} (exit ${run.outcome?.exitCode})`,
      );
    else lines.push(`  ${name}  ${color.yellow('not started')}`);
  }
  return lines;
}

export { type Fleet, fleetExitCode };
