import type { Command } from 'commander';
import { WsgictlError } from '../errors.js';
import type { CliContext } from './context.js';

// Placeholder until the watch pipeline lands (issue 4).
export function registerWatch(program: Command, _context: CliContext): void {
  program
    .command('watch')
    .description('watch source trees and drive reloads')
    .argument('<path...>')
    .action(() => {
      throw new WsgictlError('NOT_SUPPORTED', 'watch is not built yet');
    });
}
