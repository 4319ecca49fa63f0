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
  /** Resolves when the user asks to stop (SIGINT / SIGTERM), with the signal's name. */
  stopSignal: () => Promise<'SIGINT' | 'SIGTERM'>;
}
