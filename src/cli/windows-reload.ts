import { WsgictlError } from '../errors.js';
import type { CliContext } from './context.js';

/** Options of `wsgictl reload` that mean something on Windows. */
export interface WindowsReloadOptions {
  groups: string[];
  service?: string;
  pidfile?: string;
  timeoutMs: number;
  json: boolean;
  dryRun: boolean;
}

// Placeholder until the Windows restart path lands (issue 5). Returns the exit code.
export async function runWindowsReload(_options: WindowsReloadOptions, _context: CliContext): Promise<number> {
  throw new WsgictlError('NOT_SUPPORTED', 'reload on Windows is not built yet');
}
