import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ErrorCode, isErrorCode, WsgictlError } from '../errors.js';
import type { GroupReloadResult } from '../reload/types.js';
import { type HostOutcome, hostOutcome, isRecord, printedArray, versionWarning } from './outcome.js';
import { runSsh, type SshRunner, type SshSettings, sshArguments, sshExitArguments } from './ssh.js';

/** The hosts to reach and how. */
export interface Fleet {
  hosts: string[];
  ssh: SshSettings;
}

/** A host's failure as the error wsgictl would have thrown there, so that callers treat it alike. */
export function hostError(outcome: HostOutcome): WsgictlError {
  const message = `${outcome.host}: ${outcome.failure?.message ?? `exit ${outcome.exitCode}`}`;
  const remote = outcome.envelope?.error?.code;
  const code: ErrorCode = !outcome.envelope ? 'HOST' : remote && isErrorCode(remote) ? remote : 'FAILED';
  return new WsgictlError(code, message);
}

/** The group results a host's `reload --json` printed, each marked with the host; undefined if none. */
export function hostResults(outcome: HostOutcome): GroupReloadResult[] | undefined {
  // host set last: a host's own "host" key is overwritten.
  return printedArray(outcome)
    ?.filter(isRecord)
    .map((result) => ({ ...(result as unknown as GroupReloadResult), host: outcome.host }));
}

/**
 * Reloads over one persistent ssh connection per host (ControlMaster, sockets in a private folder), for
 * `watch --host`: the connection is opened once, so each save costs a command on it, not a new login.
 */
export class RemoteReloader {
  private readonly ssh: SshSettings;
  private controlDir: string | undefined;

  constructor(
    private readonly fleet: Fleet,
    private readonly warn: (message: string) => void,
    private readonly run: SshRunner = runSsh,
  ) {
    this.ssh = { ...fleet.ssh };
  }

  /** Opens each host's connection and asks its wsgictl's version: a host that cannot answer fails now. */
  async open(): Promise<void> {
    this.controlDir = mkdtempSync(join(tmpdir(), 'wsgictl-ssh-')); // mode 0700: the sockets are ours alone
    this.ssh.controlDir = this.controlDir;
    for (const host of this.fleet.hosts) {
      const outcome = await this.call(host, ['--version']);
      if (outcome.exitCode !== 0) throw hostError(outcome);
      const warning = versionWarning(outcome);
      if (warning) this.warn(warning);
    }
  }

  /**
   * `wsgictl reload ARGS --json` on each host in turn; the results of every host. The first host that
   * fails throws its error (a group not running there yet throws NO_SUCH_GROUP, as it would here).
   */
  async reload(args: string[]): Promise<GroupReloadResult[]> {
    const all: GroupReloadResult[] = [];
    for (const host of this.fleet.hosts) {
      const outcome = await this.call(host, args);
      const results = hostResults(outcome);
      // A reload that ran and timed out or failed its check still has results to show.
      if (outcome.envelope?.error || !results) throw hostError(outcome);
      all.push(...results);
    }
    return all;
  }

  /** Closes the connections and removes their folder. */
  async close(): Promise<void> {
    if (!this.controlDir) return;
    await Promise.allSettled(
      this.fleet.hosts.map((host) => this.run(sshExitArguments(host, this.ssh), { detached: false })),
    );
    rmSync(this.controlDir, { recursive: true, force: true });
    this.controlDir = undefined;
  }

  private async call(host: string, args: string[]): Promise<HostOutcome> {
    const output = await this.run(sshArguments(host, this.ssh, args), { detached: true });
    return hostOutcome(host, output, this.ssh.remoteCommand);
  }
}
