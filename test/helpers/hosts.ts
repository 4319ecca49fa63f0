import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, startSandbox, waitForChild, waitForExit } from '../../src/sandbox/apache.js';
import type { Sandbox, SandboxGroup } from '../../src/sandbox/types.js';
import { REPO } from './cli.js';

/**
 * Hosts simulated on this machine for the fleet tests: each is a pid + mount namespace of its own
 * (`unshare --pid --mount --fork --mount-proc`) whose pid 1 is a real `sshd -D` on a loopback port, with a
 * real Apache + mod_wsgi started inside it. wsgictl run over ssh there sees that host's processes only.
 * Needs root (namespaces, sshd).
 */
export interface SimHost {
  name: string;
  /** sshd's port on 127.0.0.1. */
  port: number;
  /** sshd, pid 1 of the host, as this machine sees it. */
  pid: number;
  apache?: Sandbox;
  /** Starts (or starts again) this host's Apache with these groups. */
  startApache(groups: SandboxGroup[]): Promise<Sandbox>;
  stopApache(): Promise<void>;
  /** A pid of this machine as the host sees it (what wsgictl on the host reports). */
  hostPid(pid: number): number;
}

export interface SimFleet {
  hosts: SimHost[];
  dir: string;
  /** The ssh config naming every host (and `down`, whose port nobody listens on). */
  sshConfig: string;
  /** The command that starts wsgictl on each host: this checkout's, or nothing where it is "not installed". */
  remoteWsgictl: string;
  /** `--ssh-config F --remote-wsgictl C --host ...` for these host names. */
  args(names: string[]): string[];
  stop(): Promise<void>;
}

export interface SimHostSpec {
  name: string;
  /** Start an Apache with these groups (none: the host runs no Apache). */
  groups?: SandboxGroup[];
  /** wsgictl is not installed there: the remote command does not exist on that host. */
  withoutWsgictl?: boolean;
  /** The host's "wsgictl" is this shell script instead (a host that does not answer as wsgictl does). */
  fakeWsgictl?: string;
  /**
   * The host also has a user `deploy` (not root, key login as `deploy@NAME`), and this is its
   * /etc/sudoers.d/wsgictl: the host's own /etc/passwd, group, shadow and sudoers.d, bind-mounted in its
   * mount namespace only. `REMOTE` in the text stands for the remote wsgictl's path.
   */
  sudoers?: string;
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`sshd on port ${port} did not start`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

const SSHD_CONFIG = (dir: string, port: number) => `Port ${port}
ListenAddress 127.0.0.1
HostKey ${dir}/host_key
PidFile none
AuthorizedKeysFile ${dir}/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxStartups 64
LogLevel ERROR
`;

const HOST_ENTRY = (name: string, port: number, dir: string) => `Host ${name}
  HostName 127.0.0.1
  Port ${port}
  User root
  IdentityFile ${dir}/id
  IdentitiesOnly yes
  StrictHostKeyChecking no
  UserKnownHostsFile /dev/null
  LogLevel ERROR
`;

const DEPLOY_UID = 4242;

/** The host's own copies of /etc/passwd, group and shadow with a user `deploy`, and its sudoers.d. */
function writeDeployUser(dir: string, name: string, sudoers: string): string {
  const etc = join(dir, `etc-${name}`);
  mkdirSync(join(etc, 'sudoers.d'), { recursive: true, mode: 0o755 });
  const add = (file: string, line: string, mode: number) =>
    writeFileSync(join(etc, file), `${readFileSync(`/etc/${file}`, 'utf8').trimEnd()}\n${line}\n`, { mode });
  add('passwd', `deploy:x:${DEPLOY_UID}:${DEPLOY_UID}:deploy:${dir}:/bin/sh`, 0o644);
  add('group', `deploy:x:${DEPLOY_UID}:`, 0o644);
  add('shadow', 'deploy:*:20000:0:99999:7:::', 0o640); // '*': no password, key login only
  writeFileSync(join(etc, 'sudoers.d', 'wsgictl'), `${sudoers}\n`, { mode: 0o440 });
  return etc;
}

/** Starts the hosts (their sshd, then their Apache); `stop()` ends everything it started. */
export async function startFleet(specs: SimHostSpec[]): Promise<SimFleet> {
  if (process.getuid?.() !== 0) throw new Error('simulated hosts need root (pid + mount namespaces, sshd)');
  const dir = mkdtempSync(join(tmpdir(), 'wsgictl-fleet-'));
  chmodSync(dir, 0o755);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'id')]);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'id.pub')));
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege separation folder
  // Each host mounts its own bin/ over remote/: wsgictl there is this checkout's, or nothing at all.
  const remote = join(dir, 'remote');
  mkdirSync(remote);
  for (const kind of ['installed', 'empty']) mkdirSync(join(dir, kind));
  const shim = join(dir, 'installed', 'wsgictl');
  writeFileSync(shim, `#!/bin/sh\nexec ${process.execPath} ${join(REPO, 'bin/wsgictl.js')} "$@"\n`, {
    mode: 0o755,
  });

  const started: { host: SimHost; unshare: ChildProcess }[] = [];
  const hosts: SimHost[] = [];
  let sshConfig = '';
  const stop = async () => {
    for (const host of hosts) await host.stopApache();
    for (const { host, unshare } of started) {
      // unshare --fork waits for its child: end sshd, pid 1 of the host, and the host goes with it.
      try {
        process.kill(host.pid, 'SIGTERM');
      } catch {}
      await waitForExit(unshare, 5000);
      if (unshare.exitCode === null && unshare.signalCode === null) unshare.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const spec of specs) {
      const port = await findFreePort();
      const config = join(dir, `sshd-${spec.name}.conf`);
      writeFileSync(config, SSHD_CONFIG(dir, port));
      const log = openSync(join(dir, `sshd-${spec.name}.log`), 'a');
      let bin = join(dir, spec.withoutWsgictl ? 'empty' : 'installed');
      if (spec.fakeWsgictl !== undefined) {
        bin = join(dir, `fake-${spec.name}`);
        mkdirSync(bin);
        writeFileSync(join(bin, 'wsgictl'), spec.fakeWsgictl, { mode: 0o755 });
      }
      const etc =
        spec.sudoers === undefined
          ? ''
          : writeDeployUser(dir, spec.name, spec.sudoers.replaceAll('REMOTE', join(remote, 'wsgictl')));
      const child = spawn(
        'unshare',
        [
          '--pid',
          '--mount',
          '--fork',
          '--kill-child',
          '--mount-proc',
          '--',
          'bash',
          '-c',
          'mount --bind "$1" "$2" && ' +
            '{ [ -z "$4" ] || { for f in passwd group shadow sudoers.d; do mount --bind "$4/$f" "/etc/$f" || exit 1; done; }; } && ' +
            'exec /usr/sbin/sshd -D -e -f "$3"',
          'bash',
          bin,
          remote,
          config,
          etc,
        ],
        { detached: true, stdio: ['ignore', log, log] },
      );
      closeSync(log);
      const pid = await waitForChild(child.pid ?? -1, /^sshd$/, 5000);
      if (pid === -1) {
        child.kill('SIGKILL'); // --kill-child takes whatever it started with it
        throw new Error(`no sshd under unshare ${child.pid}: see ${dir}/sshd-${spec.name}.log`);
      }
      const host: SimHost = {
        name: spec.name,
        port,
        pid,
        async startApache(groups) {
          await host.stopApache();
          host.apache = await startSandbox({ groups, namespaces: { enter: pid } });
          return host.apache;
        },
        async stopApache() {
          await host.apache?.stop();
          host.apache = undefined;
        },
        hostPid(outside) {
          const line = readFileSync(`/proc/${outside}/status`, 'utf8').match(/^NSpid:\s*(.*)$/m)?.[1] ?? '';
          return Number(line.trim().split(/\s+/).at(-1));
        },
      };
      hosts.push(host);
      started.push({ host, unshare: child });
      sshConfig += HOST_ENTRY(spec.name, port, dir);
    }
    // `down`: an ssh config entry whose port nobody listens on (connection refused).
    sshConfig += HOST_ENTRY('down', await findFreePort(), dir);
    const sshConfigFile = join(dir, 'ssh_config');
    writeFileSync(sshConfigFile, sshConfig);
    await Promise.all(hosts.map((host) => waitForPort(host.port, 10_000)));
    for (const [index, spec] of specs.entries()) {
      if (spec.groups) await hosts[index]?.startApache(spec.groups);
    }
    const remoteWsgictl = join(remote, 'wsgictl');
    return {
      hosts,
      dir,
      sshConfig: sshConfigFile,
      remoteWsgictl,
      args: (names) => [
        '--ssh-config',
        sshConfigFile,
        '--remote-wsgictl',
        remoteWsgictl,
        ...names.flatMap((name) => ['--host', name]),
      ],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
