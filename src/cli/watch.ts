import type { Command } from 'commander';
import { DURATION_HELP, parseDuration } from '../duration.js';
import { EXIT, usageError } from '../errors.js';
import type { Fleet } from '../fleet/remote.js';
import { touchScript } from '../reload/touch.js';
import { LINE_MAX_CHARS, neutraliseDeep } from '../terminal.js';
import {
  createExecAction,
  createGroupAction,
  createTouchAction,
  type GroupReloader,
} from '../watch/actions.js';
import { realTimer } from '../watch/batch.js';
import { DEFAULT_DEBOUNCE_MS, runWatchLoop, type WatchEvent } from '../watch/loop.js';
import type { WatchPlan } from '../watch/plan.js';
import { DEFAULT_POLL_MS } from '../watch/poll.js';
import { startWatcher } from '../watch/watcher.js';
import {
  type CheckFlags,
  createCheckOption,
  createCheckTimeoutOption,
  createExpectOption,
  createExpectStatusOption,
  hideInternalPresets,
  toCheckOptions,
} from './check-options.js';
import { collect } from './collect.js';
import type { CliContext } from './context.js';
import { addFleetOptions, type FleetFlags, loadFleet } from './fleet.js';
import { toReloadRequest } from './reload-request.js';
import { NO_PREFLIGHT_HELP, PREFLIGHT_MODE_HELP } from './render/preflight.js';
import { createShowPath, formatWatchEvent } from './render/watch.js';

interface WatchOptions extends CheckFlags, FleetFlags {
  group?: string[];
  touch?: string;
  exec?: string;
  graceful?: boolean;
  signal?: string;
  rolling?: boolean;
  timeout: string;
  instance?: number;
  debounce?: string;
  ext?: string;
  ignore?: string[];
  poll?: string | true;
  json?: boolean;
  clear?: boolean;
}

/** `--debounce` and `--poll`: both need a unit (a bare number meant milliseconds here once). */
function readTimings(options: WatchOptions): { debounceMs: number; pollMs?: number } {
  const debounceMs =
    options.debounce === undefined
      ? DEFAULT_DEBOUNCE_MS
      : parseDuration(options.debounce, { option: '--debounce', unitRequired: true });
  if (options.poll === undefined) return { debounceMs };
  const pollMs =
    options.poll === true
      ? DEFAULT_POLL_MS
      : parseDuration(options.poll, { option: '--poll', unitRequired: true });
  return { debounceMs, pollMs };
}

/** Before anything is loaded or watched: an action to take, and the options that only go with a group. */
function assertActions(groups: string[], options: WatchOptions): void {
  if (groups.length === 0 && options.touch === undefined && options.exec === undefined)
    throw usageError('say what to do on a change: --group NAME, --touch SCRIPT or --exec "COMMAND"');
  if ((options.host !== undefined || options.hostsFile !== undefined) && groups.length === 0)
    throw usageError('--host reloads groups on the hosts: give --group NAME with it');
  if (toCheckOptions(options) && groups.length === 0)
    throw usageError('--check judges the reload of a group: give --group NAME with it');
}

/** One JSON object per line with --json; else the human line, errors on stderr. */
function createEmitter(
  options: WatchOptions,
  context: CliContext,
  typed: ReadonlyMap<string, string>,
): (event: WatchEvent) => void {
  const show = createShowPath(typed, context.cwd);
  return (event) => {
    if (options.json) {
      context.out(`${JSON.stringify(event)}\n`);
      return;
    }
    if (options.clear && event.event === 'change') context.out('\x1b[2J\x1b[H');
    const line = formatWatchEvent(neutraliseDeep(event, LINE_MAX_CHARS), context.color, show);
    if (line) (event.event === 'error' ? context.err : context.out)(`${line}\n`);
  };
}

/** The reload options of watch: what `watch --host` forwards, as typed, to the hosts' `reload`. */
const RELOAD_OPTIONS = new Set([
  '--graceful',
  '--signal',
  '--rolling',
  '--timeout',
  '--instance',
  '--check',
  '--check-timeout',
]);

/**
 * `watch --host H --group G`: the files are watched here, the group reloaded there, over one ssh
 * connection per host that stays open while watching (the files' sync is the user's: rsync, mutagen, a
 * shared folder).
 */
async function remoteGroupAction(
  command: Command,
  fleet: Fleet,
  groups: string[],
  options: WatchOptions,
  context: CliContext,
  notice: (n: { message: string; code: string; waiting?: boolean; warning?: boolean }) => void,
) {
  const { RemoteReloader } = await import('../fleet/remote.js');
  const { assertForwardable } = await import('../fleet/envelope-args.js');
  const { forwardArguments } = await import('../fleet/forward.js');
  const args = ['reload', ...groups, '--json', ...forwardArguments(command, [], RELOAD_OPTIONS)];
  assertForwardable(args);
  const remote = new RemoteReloader(
    fleet,
    (message) => notice({ code: 'VERSION', message, warning: true }),
    context.ssh,
  );
  const action = createGroupAction(() => remote.reload(args), { groups }, notice);
  return { ...action, start: () => remote.open(), stop: () => remote.close() };
}

/** What each batch does, in the order the options name them: reload groups, touch a script, restart a command. */
async function buildActions(
  command: Command,
  groups: string[],
  options: WatchOptions,
  plan: WatchPlan,
  context: CliContext,
  emit: (event: WatchEvent) => void,
) {
  const notice = (n: { message: string; code: string; waiting?: boolean; warning?: boolean }) =>
    emit({ event: 'error', ...n });
  const actions = [];
  if (groups.length > 0) {
    // watch's --touch is an action of its own, not the reload's way of restarting.
    const request = toReloadRequest(groups, { ...options, touch: undefined });
    const fleet = await loadFleet(options, context);
    if (fleet) actions.push(await remoteGroupAction(command, fleet, groups, options, context, notice));
    else {
      const reload: GroupReloader = (each, onEvent) => context.platform.reloader.reload(each, { onEvent });
      actions.push(createGroupAction(reload, request, notice));
    }
  }
  if (plan.script !== undefined) actions.push(createTouchAction(plan.script, touchScript));
  if (options.exec !== undefined) {
    // Loaded only for --exec: it brings tree-kill.
    const { createSupervisor } = await import('../watch/supervisor.js');
    const supervisor = createSupervisor({
      command: options.exec,
      stdout: options.json ? 'stderr' : 'inherit',
      shell: context.platform.shell,
      onExit: (pid, code, sig) =>
        notice({
          code: 'EXITED',
          message: `command (pid ${pid}) exited ${sig ?? `with code ${code}`}; it starts again on the next change`,
        }),
    });
    actions.push(createExecAction(options.exec, supervisor));
  }
  return actions;
}

export function registerWatch(
  program: Command,
  context: CliContext,
  parsePid: (value: string) => number,
): void {
  const command = program
    .command('watch')
    .description('watch source trees; on a change, reload groups, touch the WSGI script or restart a command')
    .argument('<path...>', 'directories (or files) to watch')
    .option('--group <name>', 'reload this daemon group on a change (repeatable)', collect)
    .option('--touch <script>', 'touch this WSGI script on a change')
    .option('--exec <command>', 'run this command (via sh -c) and restart it on a change')
    .option('--graceful', 'reload with SIGUSR1: finish in-flight requests first')
    .option('--signal <name>', 'reload signal: INT (default), TERM or USR1')
    .option('--rolling', 'reload one process at a time')
    .option('--preflight <mode>', PREFLIGHT_MODE_HELP)
    .option('--no-preflight', NO_PREFLIGHT_HELP)
    .option(
      '--timeout <duration>',
      `how long a reload waits for replacements: with --rolling for each process, else for the group (${DURATION_HELP})`,
      '30s',
    )
    .option('--instance <pid>', 'only the Apache instance with this parent pid', parsePid)
    .option('--debounce <duration>', 'quiet time before acting, with a unit: 200ms (default), 0.5s')
    .option('--ext <list>', 'extensions that count, comma-separated (replaces the default list)')
    .option('--ignore <glob>', 'also ignore these gitignore-style globs (repeatable)', collect)
    .option(
      '--poll [interval]',
      'poll size and mtime instead of native events, every interval with a unit (default 1s)',
    )
    .addOption(createCheckOption('keep watching: the next save that fixes it says so'))
    .addOption(createCheckTimeoutOption())
    .addOption(createExpectOption())
    .addOption(createExpectStatusOption())
    .option('--json', 'print one JSON object per line: ready, change, reload, check, error')
    .option('--clear', 'clear the screen before each reload')
    .addHelpText(
      'after',
      `\nDurations: ${DURATION_HELP}. --debounce and --poll need a unit: a bare number there used to mean milliseconds.\nWith --host, files are watched here and the groups reloaded on the hosts (the files' sync is yours).`,
    );
  addFleetOptions(command, { keepGoing: false });
  hideInternalPresets(command);
  command.action(async (paths: string[], options: WatchOptions) => {
    const groups = options.group ?? [];
    assertActions(groups, options);
    const { debounceMs, pollMs } = readTimings(options);
    // Loaded here, not at start-up: the filter brings the gitignore matcher.
    const { planWatch } = await import('../watch/plan.js');
    const plan = planWatch({
      paths,
      cwd: context.cwd,
      touch: options.touch,
      ext: options.ext,
      ignoreGlobs: options.ignore ?? [],
    });
    const emit = createEmitter(options, context, plan.typed);
    const actions = await buildActions(command, groups, options, plan, context, emit);
    const { roots, nativeIgnore, filter, dirFilter } = plan;
    const stopped = await runWatchLoop(
      { roots, nativeIgnore, filter, dirFilter, debounceMs, pollMs, actions },
      { emit, stop: context.stopSignal(), startWatcher, timer: realTimer },
    );
    context.setExitCode(stopped === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);
  });
}
