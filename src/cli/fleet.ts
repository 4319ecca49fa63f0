import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import type { Fleet } from '../fleet/remote.js';
import type { FleetFlags } from '../fleet/resolve.js';
import { neutralise } from '../terminal.js';
import { collect } from './collect.js';
import type { CliContext } from './context.js';

// Only types from ../fleet/ here: this file is loaded on every run, the fleet's code only with --host.

/** `ps` reaches every host at once up to this many; `reload` one host at a time. */
export const PS_PARALLEL = 16;

/** fleet/ssh.ts's DEFAULT_REMOTE_COMMAND, as the help names it (a test holds the two together). */
const REMOTE_COMMAND_HELP = 'wsgictl';

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
      `the command that starts wsgictl on each host (default "${REMOTE_COMMAND_HELP}"; e.g. "sudo -n wsgictl")`,
    );
  if (use.parallel !== undefined)
    command.option('--parallel <n>', `hosts handled at once (default ${use.parallel})`, parseParallel);
  if (use.keepGoing)
    command.option('--keep-going', 'go on with the next hosts after a host fails (default: stop there)');
  return command;
}

/** Whether any fleet option was given: only then is the fleet's code loaded (a local run never loads it). */
export function asksForFleet(flags: FleetFlags): boolean {
  return (
    flags.host !== undefined ||
    flags.hostsFile !== undefined ||
    flags.sshConfig !== undefined ||
    flags.sshOption !== undefined ||
    flags.remoteWsgictl !== undefined ||
    flags.parallel !== undefined ||
    flags.keepGoing !== undefined
  );
}

/** The hosts to reach and how, or null to run here (see resolveFleet). */
export async function loadFleet(flags: FleetFlags, context: CliContext): Promise<Fleet | null> {
  if (!asksForFleet(flags)) return null;
  const { resolveFleet } = await import('../fleet/resolve.js');
  return resolveFleet(flags, {
    cwd: context.cwd,
    readStdin: context.readStdin ?? (() => readFileSync(0, 'utf8')),
  });
}

/** A version warning of a host, on stderr. */
export function warnOn(context: CliContext): (message: string) => void {
  return (message) => context.err(`${context.errColor.yellow('wsgictl:')} ${neutralise(message)}\n`);
}

export type { FleetFlags };
