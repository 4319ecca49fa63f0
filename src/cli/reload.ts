import type { Command } from 'commander';
import { WsgictlError } from '../errors.js';
import type { CliContext } from './context.js';

export function registerReload(program: Command, _context: CliContext, _parsePid: (value: string) => number): void {
  program
    .command('reload')
    .argument('[group...]')
    .action(() => {
      throw new WsgictlError('NOT_SUPPORTED', 'reload is being built');
    });
}
