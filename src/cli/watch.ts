import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { DURATION_HELP, parseDuration } from '../duration.js';
import { EXIT, usageError } from '../errors.js';
import type { Fleet } from '../fleet/remote.js';
import { LINE_MAX_CHARS, neutraliseDeep } from '../terminal.js';
import type { GroupReloader } from '../watch/actions.js';
import type { WatchEvent } from '../watch/loop.js';
import {
  type CheckFlags,
  createCheckOption,
  createCheckTimeoutOption,
  hideInternalPresets,
  toCheckOptions,
} from './check-options.js';
import { collect } from './collect.js';
import type { CliContext } from './context.js';
import { addFleetOptions, type FleetFlags, fleetOf } from './fleet.js';
import { toReloadRequest } from './reload-request.js';

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

/**
 * Every PATH must exist before anything starts; directories are roots, files are watched singly. `typed`:
 * each one's real path (and a file's folder) -> the PATH as given, which is how the output names them.
 */
export function resolvePaths(
  paths: string[],
  cwd: string,
): { dirs: string[]; files: string[]; typed: Map<string, string> } {
  const dirs: string[] = [];
  const files: string[] = [];
  const typed = new Map<string, string>();
  for (const path of paths) {
    let real: string;
    try {
      real = realpathSync(resolve(cwd, path));
    } catch {
      throw usageError(
        `cannot watch "${path}": no such file or directory; pass a directory that exists (e.g. wsgictl watch ./src --group django)`,
      );
    }
    const isDir = statSync(real).isDirectory();
    (isDir ? dirs : files).push(real);
    if (!typed.has(real)) typed.set(real, path);
    if (!isDir && !typed.has(dirname(real))) typed.set(dirname(real), dirname(path));
  }
  return { dirs, files, typed };
}

/** Roots to subscribe to: each directory and each file's folder, without ones nested in another. */
export function watchRoots(dirs: string[], files: string[]): string[] {
  const all = [...new Set([...dirs, ...files.map((file) => dirname(file))])].sort();
  return all.filter((root) => !all.some((other) => other !== root && root.startsWith(other + sep)));
}

function readGitignore(root: string): string | undefined {
  try {
    return readFileSync(`${root}/.gitignore`, 'utf8');
  } catch {
    return undefined;
  }
}

type WatchModule = typeof import('../watch/index.js');

/** `--debounce` and `--poll`: both need a unit (a bare number meant milliseconds here once). */
function readTimings(options: WatchOptions, watch: WatchModule): { debounceMs: number; pollMs?: number } {
  const debounceMs =
    options.debounce === undefined
      ? watch.DEFAULT_DEBOUNCE_MS
      : parseDuration(options.debounce, { option: '--debounce', unitRequired: true });
  if (options.poll === undefined) return { debounceMs };
  const pollMs =
    options.poll === true
      ? watch.DEFAULT_POLL_MS
      : parseDuration(options.poll, { option: '--poll', unitRequired: true });
  return { debounceMs, pollMs };
}

/** One JSON object per line with --json; else the human line, errors on stderr. */
async function createEmitter(
  options: WatchOptions,
  context: CliContext,
  typed: ReadonlyMap<string, string>,
): Promise<(event: WatchEvent) => void> {
  const { createShowPath, formatWatchEvent } = await import('./render/watch.js');
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

/** `reload` on the hosts, with the reload options this watch was given. */
function remoteReloadArguments(groups: string[], options: WatchOptions): string[] {
  const args = ['reload', ...groups, '--json'];
  if (options.graceful) args.push('--graceful');
  if (options.signal !== undefined) args.push(`--signal=${options.signal}`);
  if (options.rolling) args.push('--rolling');
  args.push(`--timeout=${options.timeout}`);
  if (options.instance !== undefined) args.push(`--instance=${options.instance}`);
  if (options.check !== undefined) {
    if (options.check.length === 0) args.push('--check');
    for (const url of options.check) args.push(`--check=${url}`);
  }
  if (options.checkTimeout !== undefined) args.push(`--check-timeout=${options.checkTimeout}`);
  return args;
}

/**
 * `watch --host H --group G`: the files are watched here, the group reloaded there, over one ssh
 * connection per host that stays open while watching (the files' sync is the user's: rsync, mutagen, a
 * shared folder).
 */
async function remoteGroupAction(
  fleet: Fleet,
  groups: string[],
  options: WatchOptions,
  context: CliContext,
  watch: WatchModule,
  notice: (n: { message: string; code: string; waiting?: boolean; warning?: boolean }) => void,
) {
  const { RemoteReloader } = await import('../fleet/remote.js');
  const { assertForwardable } = await import('../fleet/envelope-args.js');
  const args = remoteReloadArguments(groups, options);
  assertForwardable(args);
  const remote = new RemoteReloader(
    fleet,
    (message) => notice({ code: 'VERSION', message, warning: true }),
    context.ssh,
  );
  const action = watch.createGroupAction(() => remote.reload(args), { groups }, notice);
  return { ...action, start: () => remote.open(), stop: () => remote.close() };
}

/** What each batch does, in the order the options name them: reload groups, touch a script, restart a command. */
async function buildActions(
  groups: string[],
  options: WatchOptions,
  context: CliContext,
  watch: WatchModule,
  emit: (event: WatchEvent) => void,
) {
  const { touchScript } = await import('../reload/index.js');
  const notice = (n: { message: string; code: string; waiting?: boolean; warning?: boolean }) =>
    emit({ event: 'error', ...n });
  const actions = [];
  if (groups.length > 0) {
    // watch's --touch is an action of its own, not the reload's way of restarting.
    const request = toReloadRequest(groups, { ...options, touch: undefined });
    const fleet = fleetOf(options, context);
    if (fleet) actions.push(await remoteGroupAction(fleet, groups, options, context, watch, notice));
    else {
      const reload: GroupReloader = (each, onEvent) => context.reloader().reload(each, { onEvent });
      actions.push(watch.createGroupAction(reload, request, notice));
    }
  }
  if (options.touch !== undefined)
    actions.push(watch.createTouchAction(resolve(context.cwd, options.touch), touchScript));
  if (options.exec !== undefined) {
    const supervisor = watch.createSupervisor({
      command: options.exec,
      stdout: options.json ? 'stderr' : 'inherit',
      onExit: (pid, code, sig) =>
        notice({
          code: 'EXITED',
          message: `command (pid ${pid}) exited ${sig ?? `with code ${code}`}; it starts again on the next change`,
        }),
    });
    actions.push(watch.createExecAction(options.exec, supervisor));
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
    if (groups.length === 0 && options.touch === undefined && options.exec === undefined)
      throw usageError('say what to do on a change: --group NAME, --touch SCRIPT or --exec "COMMAND"');
    if ((options.host !== undefined || options.hostsFile !== undefined) && groups.length === 0)
      throw usageError('--host reloads groups on the hosts: give --group NAME with it');
    const check = toCheckOptions(options);
    if (check && groups.length === 0)
      throw usageError('--check judges the reload of a group: give --group NAME with it');
    const watch = await import('../watch/index.js');
    const { debounceMs, pollMs } = readTimings(options, watch);
    const extensions = options.ext === undefined ? undefined : watch.parseExtensions(options.ext);
    if (extensions?.length === 0) throw usageError('--ext needs at least one extension, e.g. --ext py,html');
    const { dirs, files, typed } = resolvePaths(paths, context.cwd);
    if (options.touch !== undefined) resolvePaths([options.touch], context.cwd);
    const roots = watchRoots(dirs, files);
    const filterOptions = {
      roots: dirs,
      files,
      extensions,
      ignoreGlobs: options.ignore ?? [],
      readGitignore,
    };
    const emit = await createEmitter(options, context, typed);
    const actions = await buildActions(groups, options, context, watch, emit);
    const stopped = await watch.runWatchLoop(
      {
        roots,
        nativeIgnore: watch.nativeIgnorePaths(roots),
        filter: watch.createFilter(filterOptions),
        dirFilter: watch.createDirFilter(filterOptions),
        debounceMs,
        pollMs,
        actions,
      },
      { emit, stop: context.stopSignal(), startWatcher: watch.startWatcher, timer: watch.realTimer },
    );
    context.setExitCode(stopped === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);
  });
}
