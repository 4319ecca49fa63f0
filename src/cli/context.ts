import type { ProcessSource } from '../processes/types.js';
import type { Paint } from './color.js';

/** What every command needs from the outside world; tests may hand in their own. */
export interface CliContext {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  color: Paint;
  errColor: Paint;
  source: () => ProcessSource;
  /** Sets the exit code main() returns when the command ends without an error (timeout: 1, watch: 130). */
  setExitCode: (code: number) => void;
  /** Resolves when the user asks to stop (SIGINT / SIGTERM), with the signal's name. */
  stopSignal: () => Promise<'SIGINT' | 'SIGTERM'>;
}
