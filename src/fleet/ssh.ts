import { spawn } from 'node:child_process';
import treeKill from 'tree-kill';
import { WsgictlError } from '../errors.js';
import { ENVELOPE_FLAG } from './envelope.js';

/** How to reach hosts: the user's own ssh, its config and options, and the command that starts wsgictl there. */
export interface SshSettings {
  /** `ssh -F FILE`. */
  configFile?: string;
  /** Each one `ssh -o OPTION`. */
  options: string[];
  /** The shell words that start wsgictl on a host (`wsgictl`, `sudo -n wsgictl`, `npx wsgictl`). */
  remoteCommand: string;
  /** A private folder for ControlMaster sockets: one connection per host, kept open between runs. */
  controlDir?: string;
}

export interface SshOutput {
  /** ssh's exit status: the remote command's, or 255 when ssh itself failed. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The host printed more than wsgictl ever answers: collecting stopped there and ssh was ended. */
  overflow?: { stream: 'stdout' | 'stderr'; limitBytes: number };
}

/**
 * What is kept of a host's answer. wsgictl's envelope of a ps of thousands of processes is a few MiB; past
 * this the host is not answering as wsgictl, and keeping all of it would end this wsgictl (a string's
 * limit, memory) with every other host's result.
 */
export const STDOUT_LIMIT_BYTES = 16 * 1024 * 1024;
export const STDERR_LIMIT_BYTES = 1024 * 1024;

export interface SshRunOptions {
  /** Its own process group: a Ctrl-C in the terminal does not reach ssh (its host finishes its step). */
  detached: boolean;
  /** When this resolves, the host's wsgictl is asked to stop after its current step (`stop` on its stdin). */
  stop?: Promise<unknown>;
}

/** Runs `ssh ARGS`. */
export type SshRunner = (args: string[], options: SshRunOptions) => Promise<SshOutput>;

export const DEFAULT_REMOTE_COMMAND = 'wsgictl';

/** One word for a POSIX shell: bare when it is plainly safe, else in single quotes. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The remote command line: the user's command as written (it may hold sudo -n), our words quoted. */
export function remoteCommandLine(settings: SshSettings, args: string[]): string {
  return [settings.remoteCommand, ENVELOPE_FLAG, ...args.map(shellQuote)].join(' ');
}

/**
 * The options of every ssh call to a host. BatchMode=yes comes first, and ssh keeps the first value it
 * gets for an option, so nothing in a config file or --ssh-option can make it prompt for a password and
 * hang a fleet run. The user's options are part of the persistent connection's name (ControlPath's %C
 * hashes host, port and user), so the call that closes it needs them too.
 */
function connectionOptions(settings: SshSettings): string[] {
  const control = settings.controlDir
    ? ['-o', 'ControlMaster=auto', '-o', `ControlPath=${settings.controlDir}/%C`, '-o', 'ControlPersist=10m']
    : [];
  return [
    '-o',
    'BatchMode=yes',
    ...(settings.configFile ? ['-F', settings.configFile] : []),
    ...settings.options.flatMap((option) => ['-o', option]),
    ...control,
  ];
}

/** ssh's arguments to run wsgictl ARGS on the host. */
export function sshArguments(host: string, settings: SshSettings, remoteArgs: string[]): string[] {
  return [...connectionOptions(settings), '--', host, remoteCommandLine(settings, remoteArgs)];
}

/** The arguments that close a host's persistent connection (ControlMaster), if one is open. */
export function sshExitArguments(host: string, settings: SshSettings): string[] {
  return [...connectionOptions(settings), '-O', 'exit', '--', host];
}

export const runSsh: SshRunner = (args, options) =>
  new Promise((resolve, reject) => {
    const child = spawn('ssh', args, {
      stdio: [options.stop ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      detached: options.detached,
    });
    if (child.stdin) {
      child.stdin.on('error', () => {}); // the host may have finished: a late `stop` goes nowhere
      options.stop?.then(
        () => child.stdin?.write('stop\n'),
        () => {},
      );
    }
    const kept = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    const size = { stdout: 0, stderr: 0 };
    let overflow: SshOutput['overflow'];
    const collect = (stream: 'stdout' | 'stderr', limitBytes: number) => (chunk: Buffer) => {
      if (overflow) return;
      size[stream] += chunk.length;
      if (size[stream] <= limitBytes) {
        kept[stream].push(chunk);
        return;
      }
      overflow = { stream, limitBytes };
      // ssh and what it started (a ProxyCommand): ours alone; while it runs its pid is still its own.
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null)
        treeKill(child.pid, 'SIGKILL', () => {});
    };
    child.stdout?.on('data', collect('stdout', STDOUT_LIMIT_BYTES));
    child.stderr?.on('data', collect('stderr', STDERR_LIMIT_BYTES));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(
          new WsgictlError(
            'NOT_SUPPORTED',
            'ssh is not installed here: install the OpenSSH client (apt-get install openssh-client)',
            { cause: error },
          ),
        );
      } else reject(error);
    });
    child.on('close', (exitCode, signal) =>
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(kept.stdout).toString('utf8'),
        stderr: Buffer.concat(kept.stderr).toString('utf8'),
        ...(overflow ? { overflow } : {}),
      }),
    );
  });
