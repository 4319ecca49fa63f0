import type { Command, Help } from 'commander';
import { EXIT } from '../errors.js';

/** What each exit code means (docs/ and src/errors.ts); a code added to EXIT without a line here fails its test. */
export const EXIT_MEANINGS: Record<keyof typeof EXIT, string> = {
  ok: 'done (also --help and --version)',
  failed: 'the work failed or only partly succeeded (a timeout waiting for replacements, say)',
  usage: 'usage: an unknown option, a bad signal name, a bad duration',
  noMatch: 'nothing matched: no such group or no such process',
  permission: 'permission denied: the caller may not signal (or may not identify) those processes',
  refused: 'refused: the evidence about which process belongs to which group disagrees; nothing was sent',
  host: 'a host of a fleet could not be reached over ssh, or no usable wsgictl runs there',
  interrupted: 'watch stopped by SIGINT (Ctrl-C)',
  terminated: 'watch stopped by SIGTERM',
};

/** Text as roff reads it: backslashes and hyphens escaped, no line that starts a request. */
export function escapeRoff(text: string): string {
  return text
    .replaceAll('\\', '\\e')
    .replaceAll('-', '\\-')
    .split('\n')
    .map((line) => (/^[.']/.test(line) ? `\\&${line}` : line))
    .join('\n');
}

/** What commander prints after a command's help (addHelpText('after')): the same words go in the page. */
function afterHelp(command: Command): string {
  let text = '';
  // Commander's Command is an EventEmitter at run time; its typings leave emit out.
  (command as unknown as NodeJS.EventEmitter).emit('afterHelp', {
    error: false,
    command,
    write: (chunk: string) => (text += chunk),
  });
  return text.trim();
}

function section(help: Help, command: Command, heading: string): string[] {
  const lines: string[] = [heading];
  const description = help.commandDescription(command);
  if (description) lines.push(escapeRoff(description));
  const args = help.visibleArguments(command);
  if (args.length > 0) {
    lines.push('.PP', 'Arguments:');
    for (const arg of args)
      lines.push(
        '.TP',
        `.I ${escapeRoff(help.argumentTerm(arg))}`,
        escapeRoff(help.argumentDescription(arg)),
      );
  }
  const options = help.visibleOptions(command);
  if (options.length > 0) {
    lines.push('.PP', 'Options:');
    for (const option of options) {
      lines.push(
        '.TP',
        `.B ${escapeRoff(help.optionTerm(option))}`,
        escapeRoff(help.optionDescription(option)),
      );
    }
  }
  const after = afterHelp(command);
  if (after)
    lines.push(
      '.PP',
      ...after
        .split('\n')
        .flatMap((line) => [escapeRoff(line), '.br'])
        .slice(0, -1),
    );
  return lines;
}

/**
 * `man 1 wsgictl`, made from the program's own commands, arguments, options and help texts through
 * commander's Help (what --help prints), so the page cannot say what the program does not.
 */
export function renderManPage(program: Command, info: { version: string; date: string }): string {
  const help = program.createHelp();
  const name = program.name();
  const lines = [
    `.TH ${name.toUpperCase()} 1 "${info.date}" "${name} ${info.version}" "User Commands"`,
    '.SH NAME',
    `${name} \\- ${escapeRoff(help.commandDescription(program))}`,
    '.SH SYNOPSIS',
    `.B ${name}`,
    escapeRoff(help.commandUsage(program).replace(/^\S+\s*/, '')),
    '.SH DESCRIPTION',
    `${escapeRoff(help.commandDescription(program))}.`,
    `Every command prints its own help with \\fB${name} COMMAND \\-\\-help\\fR; this page holds the same text.`,
    '.SH OPTIONS',
  ];
  for (const option of help.visibleOptions(program)) {
    lines.push(
      '.TP',
      `.B ${escapeRoff(help.optionTerm(option))}`,
      escapeRoff(help.optionDescription(option)),
    );
  }
  lines.push('.SH COMMANDS');
  for (const command of help.visibleCommands(program)) {
    if (command.name() === 'help') continue;
    lines.push(
      ...section(
        command.createHelp(),
        command,
        `.SS "${escapeRoff(`${name} ${help.commandUsage(command).replace(/^\S+\s+/, '')}`)}"`,
      ),
    );
  }
  lines.push('.SH EXIT STATUS', '.TP');
  const codes = Object.entries(EXIT) as Array<[keyof typeof EXIT, number]>;
  lines.push(
    ...codes
      .sort(([, a], [, b]) => a - b)
      .flatMap(([key, code], index) => [
        ...(index > 0 ? ['.TP'] : []),
        `.B ${code}`,
        escapeRoff(EXIT_MEANINGS[key]),
      ]),
  );
  lines.push(
    '.SH FILES',
    '.TP',
    '.I /usr/share/bash-completion/completions/wsgictl',
    `bash completion (also printed by \\fB${name} completion bash\\fR; zsh and fish alike)`,
    '.SH SEE ALSO',
    '.BR apachectl (8),',
    '.BR kill (1),',
    '.BR pgrep (1)',
    '',
  );
  return lines.join('\n');
}
