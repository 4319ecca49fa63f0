import type { Command } from 'commander';
import { DURATION_HELP } from '../duration.js';
import { EXIT } from '../errors.js';
import { formatDuration, formatElapsed } from '../format.js';
import { PreflightError } from '../preflight/error.js';
import { summarizeMembers } from '../reload/confirm/result.js';
import { formatKillAfter } from '../reload/escalate.js';
import { DEFAULT_TIMEOUT_MS, PartialReloadError } from '../reload/index.js';
import { describeHolder } from '../reload/lock.js';
import type { GroupReloadResult, MemberReport, ReloadEvent } from '../reload/types.js';
import { LINE_MAX_CHARS, neutralise, neutraliseDeep } from '../terminal.js';
import {
  createCheckOption,
  createCheckTimeoutOption,
  createExpectOption,
  createExpectStatusOption,
  hideInternalPresets,
} from './check-options.js';
import type { Paint } from './color.js';
import type { CliContext } from './context.js';
import { addFleetOptions, type FleetFlags, loadFleet } from './fleet.js';
import { type ReloadFlags, toReloadRequest } from './reload-request.js';
import { describeBroken, describeCheck, describeCrashLoop, isBroken } from './render/check.js';
import {
  describePreflight,
  describePreflightFailures,
  NO_PREFLIGHT_HELP,
  PREFLIGHT_MODE_HELP,
} from './render/preflight.js';
import { describeEnded, describeReplacedSet, quoteEvidence } from './render/reload.js';
import {
  describeCanaryFailed,
  describeCanaryLines,
  describeStartFailed,
  describeStartLines,
} from './render/startup.js';

interface ReloadOptions extends ReloadFlags, FleetFlags {
  json?: boolean;
}

/** With --kill-after: "killed (SIGKILL 3s after SIGINT, which it did not exit on)". */
function describeKilled(member: MemberReport, signal: string, color: Paint): string {
  const after = formatKillAfter(member.killedAfterMs ?? 0);
  const why = member.ignoresSignal ? 'which it ignores' : 'still running then';
  return `${color.yellow('killed')} (SIGKILL ${after} after ${signal}, ${why})`;
}

/** One line for a planned process that was signalled and waited for; '' for the states shown elsewhere. */
function describeMember(
  member: MemberReport,
  color: Paint,
  stopped: boolean | 'canary',
  signal: string,
): string {
  switch (member.state) {
    case 'replaced':
      // Without a proven pair the processes replaced are shown together (see describeReplacedSet).
      return member.newPid === undefined ? '' : `  ${member.pid} -> ${member.newPid}`;
    case 'killed':
      return member.newPid === undefined
        ? `  ${member.pid} ${describeKilled(member, signal, color)}`
        : `  ${member.pid} -> ${member.newPid} ${describeKilled(member, signal, color)}`;
    case 'missing':
      return `  ${member.pid} -> ${color.yellow('missing')} (exited; no replacement yet)`;
    case 'draining': {
      const count = member.inFlight ?? 0;
      return `  ${member.pid} ${color.yellow('still draining')} (still running at the timeout, finishing ${count} request${count === 1 ? '' : 's'})`;
    }
    case 'still-running':
      return `  ${member.pid} ${color.yellow('did not exit')} (${member.reason})`;
    case 'not-signalled':
      return `  ${member.pid} ${color.yellow('not signalled')} (left running: ${stopped === 'canary' ? 'on the old code, the reload stopped at the replacement that failed' : stopped ? 'Ctrl-C stopped the reload before its turn' : 'the rolling reload stopped at the timeout'})`;
    default:
      return ''; // signalled (--no-wait) and skipped have lines of their own
  }
}

/** Windows: the whole Apache restarted for the group (mod_wsgi has no daemon mode there). */
function describeRestart(result: GroupReloadResult, color: Paint): string[] {
  const restart = result.restart;
  const who = `Apache pid ${result.instance}${restart?.service ? ` (service ${restart.service})` : ''}`;
  const head = `${color.bold(result.group)}: mod_wsgi has no daemon mode on Windows, so the whole Apache restarts`;
  const old = result.oldPids.join(' ') || '-';
  if (result.outcome === 'dry-run') {
    const steps = (restart?.attempts ?? []).map(
      (attempt) => `  ${attempt.step}${attempt.detail === 'dry run' ? '' : `: ${attempt.detail}`}`,
    );
    return [head, `${who}: would try, in order (dry run, nothing sent):`, ...steps];
  }
  if (result.outcome === 'replaced') {
    return [
      head,
      color.green(
        `${who}: restarted by ${restart?.method}; child ${old} -> ${result.newPids.join(' ')} in ${formatElapsed(result.ms)}${restart?.note ? `; ${restart.note}` : ''}`,
      ),
    ];
  }
  return [
    head,
    color.red(
      `${who}: ${restart?.method} was accepted but no new child appeared within ${formatElapsed(result.ms)}; see Apache's error log`,
    ),
  ];
}

/** The key of a group of an instance, for the groups whose lines --rolling printed as they happened. */
function groupKey(instance: number, group: string): string {
  return `${instance} ${group}`;
}

/**
 * `live`: the groups whose head and old -> new pairs were already printed as they happened (--rolling).
 * `alone`: this is the only group, so its live head stands right above: it is not printed again.
 */
function describeResult(
  result: GroupReloadResult,
  color: Paint,
  live: ReadonlySet<string>,
  alone = false,
): string[] {
  if (result.signal === 'apache-restart') return describeRestart(result, color);
  const how = result.signal === 'touch' ? 'touched the WSGI script' : result.signal;
  const head = `${color.bold(result.group)} (Apache pid ${result.instance}): ${how}, ${result.oldPids.length} process${result.oldPids.length === 1 ? '' : 'es'}`;
  const printed = live.has(groupKey(result.instance, result.group));
  const lines = printed && alone ? [] : [head];
  if (
    ['replaced', 'timeout', 'crash-loop', 'start-failed', 'canary-failed', 'stopped'].includes(result.outcome)
  ) {
    for (const member of result.members) {
      const line =
        printed && member.state === 'replaced'
          ? ''
          : describeMember(
              member,
              color,
              result.outcome === 'canary-failed' ? 'canary' : result.outcome === 'stopped',
              result.signal,
            );
      if (line) lines.push(line);
    }
    if (!printed) lines.push(...describeReplacedSet(result));
  }
  for (const skip of result.skipped) lines.push(color.yellow(`  skipped pid ${skip.pid}: ${skip.reason}`));
  const took = formatElapsed(result.ms);
  const killed = result.members.filter((member) => member.state === 'killed').length;
  const outcome = {
    replaced: color.green(`  replaced in ${took}${killed > 0 ? ` (${killed} killed with SIGKILL)` : ''}`),
    sent: `  signalled ${result.oldPids.length - result.skipped.length}; not waiting (--no-wait)`,
    touched: '  the group restarts on its next request',
    timeout: color.red(`  timeout after ${took}: ${summarizeMembers(result.members)}`),
    'crash-loop': color.red(`  ${describeCrashLoop(result)}`),
    'start-failed': color.red(`  ${describeStartFailed(result)} after ${took}`),
    'canary-failed': color.red(`  ${describeCanaryFailed(result)}`),
    'dry-run': `  would signal: ${result.oldPids.join(' ') || 'nothing'} (dry run, nothing sent)`,
    stopped: color.yellow(`  stopped by Ctrl-C after ${took}: ${summarizeMembers(result.members)}`),
  }[result.outcome];
  lines.push(
    outcome,
    ...describeStartLines(result),
    ...describeCanaryLines(result),
    ...describeEnded(result, color),
    ...describeCheck(result, color),
  );
  return lines;
}

function printResults(
  raw: GroupReloadResult[],
  options: ReloadOptions,
  context: CliContext,
  live: ReadonlySet<string>,
): void {
  if (options.json) context.out(`${JSON.stringify(raw, null, 2)}\n`);
  // The human lines show names, paths and log lines neutralised (the JSON above is exact).
  const results = neutraliseDeep(raw, LINE_MAX_CHARS);
  if (!options.json) {
    // What was compiled before the signals: on stderr, beside the other notes made before any wait.
    const checked = results.flatMap((result) =>
      describePreflight(result.preflight, context.errColor, result.group),
    );
    if (checked.length > 0) context.err(`${checked.join('\n')}\n`);
    const lines = results.flatMap((result) =>
      describeResult(result, context.color, live, results.length === 1),
    );
    if (lines.length > 0) context.out(`${lines.join('\n')}\n`);
  }
  if (results.some((result) => result.outcome === 'stopped')) context.setExitCode(EXIT.interrupted);
  if (results.some((result) => result.outcome === 'timeout')) context.setExitCode(1);
  for (const result of results.filter((each) => each.outcome === 'crash-loop')) {
    context.err(
      `${context.errColor.red('wsgictl:')} ${describeCrashLoop(result)} (Apache pid ${result.instance}): its new daemons die as they start${quoteEvidence(result)}; see above\n`,
    );
    context.setExitCode(1);
  }
  for (const result of results.filter((each) => each.outcome === 'canary-failed')) {
    const kept = result.members.filter((member) => member.state === 'not-signalled').length;
    context.err(
      `${context.errColor.red('wsgictl:')} ${describeCanaryFailed(result)} (Apache pid ${result.instance}); the reload stopped there: ${kept} process${kept === 1 ? '' : 'es'} keep${kept === 1 ? 's' : ''} the old code; see above\n`,
    );
    context.setExitCode(1);
  }
  for (const result of results.filter((each) => each.outcome === 'start-failed')) {
    context.err(
      `${context.errColor.red('wsgictl:')} ${describeStartFailed(result)} (Apache pid ${result.instance}): mod_wsgi makes them wait 20 s before they exit and are started again; see above\n`,
    );
    context.setExitCode(1);
  }
  // Reloaded but not serving: its own words, so that nobody reads it as a reload that failed.
  for (const result of results.filter(isBroken)) {
    context.err(`${context.errColor.red('wsgictl:')} ${describeBroken(result)}\n`);
    context.setExitCode(1);
  }
}

/** A reload the pre-flight refused: each file that does not compile, or with --json one document saying so. */
function printPreflightFailure(error: PreflightError, options: ReloadOptions, context: CliContext): void {
  if (options.json) {
    context.out(`${JSON.stringify({ preflight: 'failed', groups: error.reports }, null, 2)}\n`);
    return;
  }
  const lines = describePreflightFailures(neutraliseDeep(error.reports, LINE_MAX_CHARS), context.color);
  if (lines.length > 0) context.out(`${lines.join('\n')}\n`);
}

export function registerReload(
  program: Command,
  context: CliContext,
  parsePid: (value: string) => number,
): void {
  const command = program
    .command('reload')
    .description('restart every process of mod_wsgi daemon groups and wait for their replacements')
    .argument('[group...]', 'group names (literal); or --all')
    .option('--graceful', 'send SIGUSR1: finish in-flight requests first (up to graceful-timeout)')
    .option(
      '--signal <name>',
      'INT (default), TERM or USR1; with or without SIG, or the number (KILL only as --kill-after: it restarts a daemon too, but skips its clean shutdown)',
    )
    .option(
      '--rolling',
      'one process at a time: the next only once the previous one is replaced (with --check: and proven by its own log lines, for a preloaded script)',
    )
    .option(
      '--canary <n>',
      'replace N processes one at a time, each proven by its own log lines (preloaded scripts), then the rest at once; stops at the first that fails',
    )
    .option(
      '--timeout <duration>',
      `how long to wait for replacements: with --rolling for each process, else for the whole group (${DURATION_HELP})`,
      '30s',
    )
    .option(
      '--kill-after <duration>',
      `SIGKILL a process still running this long after its signal (the parent replaces it); shorter than --timeout (${DURATION_HELP})`,
    )
    .option('--no-wait', 'send the signals and return without waiting')
    .option('--dry-run', 'make every check and print what would be signalled; send nothing')
    .option(
      '--trust-config',
      'reload even if the configuration changed since Apache read it (contradicting evidence still refuses)',
    )
    .option('--instance <pid>', 'only the Apache instance with this parent pid', parsePid)
    .option('--all', 'every group of the chosen instance(s)')
    .option('--json', 'print one JSON object per group')
    .option('--touch <script>', 'touch this WSGI script instead of signalling (needs write access to it)')
    .option('--url <url>', 'with --touch: request this URL so the restart happens now, and confirm it')
    .option(
      '--service <name>',
      "Windows: the Apache service to restart when its event cannot be set (default: the service running as Apache's parent, from sc queryex; spaces are dropped as httpd -n does)",
    )
    .option(
      '--pidfile <file>',
      'Windows: the file naming the Apache parent pid (default: the httpd.exe running; if none is listed, C:/Apache24/logs/httpd.pid)',
    )
    .option(
      '--allow-stop-start',
      'Windows: if the graceful restart steps all fail, net stop + net start the service (cuts requests in flight)',
    )
    .option('--preflight <mode>', PREFLIGHT_MODE_HELP)
    .option('--no-preflight', NO_PREFLIGHT_HELP)
    .addOption(createCheckOption())
    .addOption(createCheckTimeoutOption())
    .addOption(createExpectOption())
    .addOption(createExpectStatusOption());
  addFleetOptions(command, { parallel: '1: host after host', keepGoing: true });
  hideInternalPresets(command);
  command.action(async (groups: string[], options: ReloadOptions) => {
    const request = toReloadRequest(groups, options);
    const fleet = await loadFleet(options, context);
    if (fleet) {
      const { reloadOnHosts } = await import('./fleet-reload.js');
      const describe = (results: GroupReloadResult[]) =>
        results.flatMap((result) => describeResult(result, context.color, new Set()));
      return reloadOnHosts(fleet, command, groups, options, context, describe);
    }
    // --rolling prints as it goes: the group's head at its first signal, then each process once replaced.
    const live = new Set<string>();
    const onEvent = (event: ReloadEvent) => {
      // Said before any wait, on stderr so that --json's output stays one document.
      if (event.type === 'warning') {
        context.err(`${context.errColor.yellow('wsgictl: warning:')} ${neutralise(event.message)}\n`);
        return;
      }
      if (event.type === 'killed') return;
      if (event.type === 'waiting') {
        context.err(
          `${context.errColor.yellow('wsgictl:')} another reload of Apache pid ${event.instance} is under way: ${neutralise(describeHolder(event.holder))}; waiting for it to end (at most --timeout ${formatDuration(request.timeoutMs ?? DEFAULT_TIMEOUT_MS)})\n`,
        );
        return;
      }
      // --no-wait makes --rolling moot: every process is signalled at once (see reloadPlan).
      if (options.json || !options.rolling || !options.wait) return;
      const key = groupKey(event.instance, event.group);
      if (event.type === 'signalled' && !live.has(key)) {
        live.add(key);
        context.out(
          `${context.color.bold(neutralise(event.group))} (Apache pid ${event.instance}): ${event.signal}, one process at a time\n`,
        );
      }
      if (event.type === 'replaced') context.out(`  ${event.oldPid} -> ${event.newPid}\n`);
      if (event.type === 'stepped') {
        context.out(
          `  ${event.oldPid} replaced; new members ${event.newPids.join(', ')} (the group changed meanwhile, so which one is its own is not known)\n`,
        );
      }
    };
    // Ctrl-C: a rolling reload finishes the process under way and signals no more; a second one quits.
    let stop = false;
    if (!request.dryRun) {
      context.stopSignal().then(() => {
        stop = true;
        context.err(
          `${context.errColor.yellow('wsgictl:')} stopping after the current step (Ctrl-C again quits at once)\n`,
        );
      });
    }
    try {
      const results = await context.platform.reloader.reload(request, { onEvent, stopRequested: () => stop });
      printResults(results, options, context, live);
    } catch (error) {
      // The groups that were reloaded are shown before the error that stopped the others.
      if (error instanceof PartialReloadError) printResults(error.results, options, context, live);
      if (error instanceof PreflightError) printPreflightFailure(error, options, context);
      throw error;
    }
  });
}
