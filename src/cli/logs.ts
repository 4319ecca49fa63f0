import { type Command, InvalidArgumentError } from 'commander';
import { EXIT } from '../errors.js';
import { neutralise, neutraliseLines } from '../terminal.js';
import type { Paint } from './color.js';
import type { CliContext } from './context.js';

interface LogsOptions {
  follow?: boolean;
  lines?: number;
  instance?: number;
}

const DEFAULT_LINES = 20;

function parseCount(value: string): number {
  if (!/^\d+$/.test(value))
    throw new InvalidArgumentError('expected a number of lines, e.g. 50 (0 for none)');
  return Number(value);
}

/** The level field coloured, so that errors stand out in a scrolling log; the line itself as written. */
function paintLine(line: string, color: Paint): string {
  if (/^\[[^\]]*\] \[[^\]:]*:(error|crit|alert|emerg)\]/.test(line)) return color.red(line);
  if (/^\[[^\]]*\] \[[^\]:]*:warn\]/.test(line)) return color.yellow(line);
  return line;
}

export function registerLogs(
  program: Command,
  context: CliContext,
  parsePid: (value: string) => number,
): void {
  program
    .command('logs')
    .description("print a daemon group's lines from Apache's error log; -f follows it like tail -F")
    .argument('<group>', 'the group (a literal name)')
    .option('-f, --follow', 'go on printing its lines as they are written, across log rotation; Ctrl-C stops')
    .option(
      '-n, --lines <count>',
      // The default is applied below, not given to commander, which would print its own "(default: 20)".
      `how many of its last lines to print first (default ${DEFAULT_LINES}; 0 for none)`,
      parseCount,
    )
    .option('--instance <pid>', 'only the Apache instance with this parent pid', parsePid)
    .action(async (group: string, options: LogsOptions) => {
      const { discoverInstances } = await import('../groups/discover.js');
      const { findGroupLogPlace, followGroupLogs, openGroupLogs } = await import('../errorlog/group.js');
      const source = context.platform.source;
      const instances = await discoverInstances(source, { instance: options.instance });
      const place = findGroupLogPlace(instances, group);
      const session = openGroupLogs(place, group, options.lines ?? DEFAULT_LINES);
      for (const log of session.unreadable)
        context.err(
          `${context.errColor.yellow('wsgictl:')} ${neutralise(log.written)}: ${neutralise(log.reason)}\n`,
        );
      const print = (lines: string[]) =>
        context.out(`${lines.map((line) => paintLine(neutraliseLines(line), context.color)).join('\n')}\n`);
      if (session.lines.length > 0) print(session.lines);
      if (!options.follow) {
        session.close();
        return;
      }
      const { readGroup } = await import('../reload/confirm/wait.js');
      const stopped = await followGroupLogs(session, {
        print,
        currentPids: async () => [...(await readGroup(source, place.instance.context, group)).members.keys()],
        stop: context.stopSignal(),
      });
      context.setExitCode(stopped === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);
    });
}
