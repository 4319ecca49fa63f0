import type { ChalkInstance } from 'chalk';
import type { ProcessSource } from '../processes/types.js';

/** What every command needs from the outside world; tests may hand in their own. */
export interface CliContext {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  color: ChalkInstance;
  errColor: ChalkInstance;
  source: () => ProcessSource;
  /** Resolves when the user asks to stop (SIGINT / SIGTERM), with the signal's name. */
  stopSignal: () => Promise<'SIGINT' | 'SIGTERM'>;
}
