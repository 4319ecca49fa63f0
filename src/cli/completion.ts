import { type Command, Option } from 'commander';
import { renderBash } from '../completion/bash.js';
import { renderFish } from '../completion/fish.js';
import { LISTABLE, type Listable, listCompletions } from '../completion/list.js';
import { describeProgram, SHELLS } from '../completion/spec.js';
import { renderZsh } from '../completion/zsh.js';
import { usageError } from '../errors.js';
import type { CliContext } from './context.js';

const RENDER = { bash: renderBash, zsh: renderZsh, fish: renderFish } as const;

export function registerCompletion(program: Command, context: CliContext): void {
  program
    .command('completion')
    .description('print the shell completion script for bash, zsh or fish')
    .argument('[shell]', 'bash, zsh or fish')
    .addOption(
      new Option(
        '--list <what>',
        'what the scripts ask for: the running Apache groups or instances, one per line',
      )
        .choices(LISTABLE)
        .hideHelp(),
    )
    .addHelpText(
      'after',
      '\nbash: source <(wsgictl completion bash)   zsh: source <(wsgictl completion zsh)   fish: wsgictl completion fish | source',
    )
    .action(async (shell: string | undefined, options: { list?: Listable }) => {
      if (options.list) {
        const items = await listCompletions(options.list, context.platform.source);
        context.out(items.map((item) => `${item}\n`).join(''));
        return;
      }
      if (shell === undefined || !Object.hasOwn(RENDER, shell)) {
        throw usageError(
          `${shell === undefined ? 'no shell named' : `no completion for shell "${shell}"`}: use wsgictl completion ${SHELLS.join('|')}`,
        );
      }
      context.out(RENDER[shell as keyof typeof RENDER](describeProgram(program)));
    });
}
