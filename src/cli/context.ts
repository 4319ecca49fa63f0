import type { SshRunner } from '../fleet/ssh.js';
import type { Platform } from '../platform.js';
import type { ProcessSource } from '../processes/types.js';
import type { Reloader } from '../reload/reloader.js';
import type { Paint } from './color.js';

/** What every command needs from the outside world; tests may hand in their own. */
export interface CliContext {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  color: Paint;
  errColor: Paint;
  /** The platform, chosen once where the context is made: everything below asks the context, not `process`. */
  platform: Platform;
  /** The working directory that relative paths in arguments are read against. */
  cwd: string;
  /** Milliseconds since the epoch (uptimes in `ps`). */
  now: () => number;
  /** The platform's process table (tests hand in their own). */
  source: () => ProcessSource;
  /** The platform's one way to reload (signals on UNIX, a graceful Apache restart on Windows). */
  reloader: () => Reloader;
  /** Windows: Apache parent pid -> the service it runs as; undefined where there are no services. */
  services: () => Promise<ReadonlyMap<number, string> | undefined>;
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
}
