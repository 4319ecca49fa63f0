import { resolve } from 'node:path';
import { usageError } from '../errors.js';
import { collectHosts } from './hosts.js';
import type { Fleet } from './remote.js';
import { DEFAULT_REMOTE_COMMAND } from './ssh.js';

/** The options every command that can reach other hosts shares, as commander parsed them. */
export interface FleetFlags {
  host?: string[];
  hostsFile?: string;
  sshConfig?: string;
  sshOption?: string[];
  remoteWsgictl?: string;
  parallel?: number;
  keepGoing?: boolean;
}

/** The hosts to reach and how, or null to run here; ssh options without hosts are a mistake. */
export function resolveFleet(
  flags: FleetFlags,
  where: { cwd: string; readStdin: () => string },
): Fleet | null {
  const hosts = collectHosts(flags, where.cwd, where.readStdin);
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
      configFile: flags.sshConfig === undefined ? undefined : resolve(where.cwd, flags.sshConfig),
      options: flags.sshOption ?? [],
      remoteCommand: flags.remoteWsgictl ?? DEFAULT_REMOTE_COMMAND,
    },
  };
}
