import type { Argument, Command, Option } from 'commander';
import { RESTART_SIGNALS } from '../reload/signals.js';

/** What a word can be completed with. `groups`/`instances` ask the running Apache (`completion --list`). */
export type Values =
  | { kind: 'groups' }
  | { kind: 'instances' }
  | { kind: 'files' }
  | { kind: 'words'; words: string[] }
  | { kind: 'none' };

export interface OptionSpec {
  /** --long (and -s), as the user types them. */
  names: string[];
  description: string;
  /** undefined: a flag; otherwise what its value completes with, and whether it must have one. */
  value?: { values: Values; required: boolean };
}

export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  /** The positional arguments in order; the last repeats when it is variadic. */
  args: Values[];
  variadic: boolean;
}

export interface CompletionSpec {
  program: string;
  options: OptionSpec[];
  commands: CommandSpec[];
}

/** Suggested durations: each has the unit every duration option accepts. */
export const DURATION_WORDS = ['200ms', '500ms', '1s', '2s', '5s', '10s', '30s', '1m'];
/** `wsgictl signal GROUP SIGNAL`: what mod_wsgi 6.x hands to the application. */
export const APP_SIGNAL_WORDS = ['HUP', 'USR2'];
export const SHELLS = ['bash', 'zsh', 'fish'] as const;

const words = (list: readonly string[]): Values => ({ kind: 'words', words: [...list] });

/** By the option's long name and its value's name in the help (`--timeout <duration>`). */
function optionValues(option: Option): Values {
  const placeholder = /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? '';
  if (option.long === '--group') return { kind: 'groups' };
  if (option.long === '--instance') return { kind: 'instances' };
  if (option.long === '--signal') return words(RESTART_SIGNALS.map((signal) => signal.slice(3)));
  if (placeholder === 'duration' || placeholder === 'interval') return words(DURATION_WORDS);
  if (['script', 'file', 'path'].includes(placeholder)) return { kind: 'files' };
  return { kind: 'none' };
}

function argumentValues(command: Command, argument: Argument): Values {
  const name = argument.name();
  if (name === 'group') return { kind: 'groups' };
  if (name === 'signal' && command.name() === 'signal') return words(APP_SIGNAL_WORDS);
  if (name === 'shell') return words(SHELLS);
  if (name === 'path') return { kind: 'files' };
  return { kind: 'none' };
}

function describeOption(option: Option): OptionSpec {
  return {
    names: [option.long, option.short].filter((name): name is string => name !== undefined),
    description: option.description,
    ...(option.required || option.optional
      ? { value: { values: optionValues(option), required: option.required } }
      : {}),
  };
}

/** Everything the completion scripts know, read from the program itself, so they follow its options. */
export function describeProgram(program: Command): CompletionSpec {
  const help = program.createHelp();
  return {
    program: program.name(),
    options: help.visibleOptions(program).map(describeOption),
    commands: help
      .visibleCommands(program)
      .filter((command) => command.name() !== 'help')
      .map((command) => {
        const args = command.registeredArguments;
        return {
          name: command.name(),
          description: command.description(),
          options: command.createHelp().visibleOptions(command).map(describeOption),
          args: args.map((argument) => argumentValues(command, argument)),
          variadic: args.at(-1)?.variadic === true,
        };
      }),
  };
}
