import type { SshRunner } from '../fleet/ssh.js';
import type { Platform } from '../platform.js';
import type { Paint } from './color.js';

/** What every command needs from the outside world; tests may hand in their own. */
export interface CliContext {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  color: Paint;
  errColor: Paint;
  /**
   * The platform, chosen once where the context is made: its process table, reloader and services; tests
   * hand in their own. Everything below asks the context, not `process`.
   */
  platform: Platform;
  /** The working directory that relative paths in arguments are read against. */
  cwd: string;
  /** Milliseconds since the epoch (uptimes in `ps`). */
  now: () => number;
  /** Sets the exit code main() returns when the command ends without an error (timeout: 1, watch: 130). */
  setExitCode: (code: number) => void;
  /** Resolves when the user asks to stop (SIGINT / SIGTERM), with the signal's name. */
  stopSignal: () => Promise<'SIGINT' | 'SIGTERM'>;
  /** How hosts are reached (--host): the system's ssh unless a test hands in its own. */
  ssh?: SshRunner;
  /**
   * With --envelope: resolves when the wsgictl that runs this one over ssh asks it to stop (a line `stop`
   * on stdin: ssh forwards no signal to a command without a terminal).
   */
  callerStop?: () => Promise<'SIGINT'>;
  /** Standard input as text (`--hosts-file -`). */
  readStdin?: () => string;
  /** The terminal `top` draws its live view on, or null when stdin or stdout is not one. */
  terminal?: () => { input: NodeJS.ReadStream; output: NodeJS.WriteStream } | null;
}
