import type { Command } from 'commander';
import { EXIT } from '../errors.js';
import { formatElapsed } from '../format.js';
import { describeHolder } from '../reload/lock.js';
import { parseAppSignal } from '../reload/signals.js';
import type { ReloadEvent } from '../reload/types.js';
import { signalGroup } from '../signal/signal.js';
import type { GroupSignalResult, SignalMember } from '../signal/types.js';
import { neutralise, neutraliseDeep } from '../terminal.js';
import type { Paint } from './color.js';
import type { CliContext } from './context.js';

interface SignalOptions {
  instance?: number;
  json?: boolean;
  dryRun?: boolean;
  trustConfig?: boolean;
}

function describeMember(member: SignalMember, color: Paint): string {
  switch (member.state) {
    case 'alive':
      return `  ${member.pid} still running`;
    case 'ended':
      return `  ${member.pid} ${color.red('ended')} (${member.reason})`;
    case 'skipped':
      return color.yellow(`  skipped pid ${member.pid}: ${member.reason}`);
    default:
      return '';
  }
}

function describeResult(result: GroupSignalResult, color: Paint): string[] {
  const count = `${result.pids.length} process${result.pids.length === 1 ? '' : 'es'}`;
  const version = `mod_wsgi ${result.wsgiVersion} (from its ${result.versionFrom.join(' and ')})`;
  const head = `${color.bold(result.group)} (Apache pid ${result.instance}): ${result.signal}, ${count}, ${version}`;
  if (result.outcome === 'dry-run')
    return [head, `  would signal: ${result.pids.join(' ') || 'nothing'} (dry run, nothing sent)`];
  const lines = [head, ...result.members.map((member) => describeMember(member, color)).filter(Boolean)];
  const alive = result.members.filter((member) => member.state === 'alive').length;
  const after = formatElapsed(result.waitedMs);
  if (result.outcome === 'delivered')
    lines.push(color.green(`  delivered; ${alive} still running ${after} later`));
  else
    lines.push(color.red(`  ${result.signal} ended some of the group's processes; ${alive} still running`));
  return lines;
}

/** The failure said on stderr, in its own words: the signal reached the daemons and ended them. */
function describeEnded(result: GroupSignalResult): string {
  const ended = result.members.filter((member) => member.state === 'ended').map((member) => member.pid);
  return `${result.signal} ended ${ended.length} of ${result.pids.length} processes of "${result.group}" (Apache pid ${result.instance}): pid ${ended.join(' ')}; the application did not survive it (the parent starts new daemons): see \`wsgictl logs ${result.group}\``;
}

export function registerSignal(
  program: Command,
  context: CliContext,
  parsePid: (value: string) => number,
): void {
  program
    .command('signal')
    .description(
      "send SIGHUP or SIGUSR2 to every process of a daemon group, for its application (mod_wsgi 6.x's subscribe_signals); no restart",
    )
    .argument('<group>', 'group name (literal)')
    .argument('<signal>', 'HUP or USR2, with or without SIG, or the number')
    .option('--dry-run', 'make every check and print what would be signalled; send nothing')
    .option(
      '--trust-config',
      'signal even if the configuration changed since Apache read it (contradicting evidence still refuses)',
    )
    .option('--instance <pid>', 'only the Apache instance with this parent pid', parsePid)
    .option('--json', 'print one JSON object per group and instance')
    .action(async (group: string, name: string, options: SignalOptions) => {
      const signal = parseAppSignal(name);
      const onEvent = (event: ReloadEvent) => {
        if (event.type !== 'waiting') return;
        context.err(
          `${context.errColor.yellow('wsgictl:')} a reload of Apache pid ${event.instance} is under way: ${neutralise(describeHolder(event.holder))}; waiting for it to end\n`,
        );
      };
      const request = {
        group,
        signal,
        platform: context.platform.name,
        instance: options.instance,
        dryRun: options.dryRun,
        trustConfig: options.trustConfig,
      };
      const raw = await signalGroup(context.platform.source, request, { onEvent });
      if (options.json) context.out(`${JSON.stringify(raw, null, 2)}\n`);
      const results = neutraliseDeep(raw);
      if (!options.json)
        context.out(`${results.flatMap((each) => describeResult(each, context.color)).join('\n')}\n`);
      for (const result of results.filter((each) => each.outcome === 'ended')) {
        context.err(`${context.errColor.red('wsgictl:')} ${describeEnded(result)}\n`);
        context.setExitCode(EXIT.failed);
      }
    });
}
