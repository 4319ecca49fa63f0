import type { ApacheConfig } from '../apache/config/model.js';
import { WINDOWS_SERVER_ROOT } from '../apache/config/model.js';
import { type Clock, systemClock } from '../clock.js';
import { usageError, WsgictlError } from '../errors.js';
import type { FileView } from '../files/view.js';
import { assertGroupsExist } from '../groups/lookup.js';
import type { ProcessInfo, ProcessSource } from '../processes/types.js';
import { assertPlatformOptions } from '../reload/platform-options.js';
import { DEFAULT_TIMEOUT_MS } from '../reload/reload.js';
import type { Reloader } from '../reload/reloader.js';
import { touchScript } from '../reload/touch.js';
import type {
  GroupReloadResult,
  ReloadOutcome,
  ReloadRequest,
  WindowsReloadRequest,
} from '../reload/types.js';
import {
  findScriptReloadingOff,
  findTouchScript,
  loadWindowsConfig,
  readCommandLine,
  wsgiAppsOf,
} from './apps.js';
import { createDeadline, type Deadline } from './deadline.js';
import { createExecutor, type Executor } from './exec.js';
import { collapseServiceName, validatePid, validateServiceName } from './names.js';
import { type RestartTarget, restartWindowsApache, type WindowsRestartResult } from './restart.js';
import { findServiceByPid } from './service.js';
import { chooseInstance, findWindowsInstances, type ReadText, readPidfile } from './target.js';

/** Apache's default PidFile (logs/httpd.pid under ServerRoot) for the Windows layout. */
export const DEFAULT_WINDOWS_PIDFILE = `${WINDOWS_SERVER_ROOT}/logs/httpd.pid`;

/** The outside world of the Windows path; tests replace all of it. */
export interface WindowsReloaderDeps {
  source: ProcessSource;
  executor?: Executor;
  clock?: Clock;
  readText?: ReadText;
  /** Apache's configuration files (default: this machine's). */
  files?: FileView;
  /** Sets a script's mtime (default: touchScript). */
  touch?: (path: string) => void;
}

async function resolveParent(
  request: WindowsReloadRequest,
  processes: ProcessInfo[],
  readText: ReadText | undefined,
): Promise<number> {
  if (request.pidfile !== undefined) return readPidfile(request.pidfile, readText);
  const instances = findWindowsInstances(processes);
  if (instances.length === 0 && request.instance === undefined) {
    try {
      return await readPidfile(DEFAULT_WINDOWS_PIDFILE, readText);
    } catch {
      // no default pidfile either: chooseInstance says what to do
    }
  }
  return chooseInstance(instances, request.instance).parentPid;
}

async function resolveTarget(
  service: string | undefined,
  parentPid: number,
  executor: Executor,
  deadline: Deadline,
): Promise<RestartTarget> {
  // A name the user gives is an httpd service's name, read the way httpd -n reads it.
  if (service !== undefined) return { parentPid, service: collapseServiceName(service), serviceNote: '' };
  const lookup = await findServiceByPid(executor, parentPid, { timeoutMs: deadline.remainingMs() });
  if (!lookup.known) {
    return {
      parentPid,
      service: null,
      serviceNote: `could not tell whether pid ${parentPid} runs as a service (${lookup.detail}); pass --service NAME to try the service manager`,
    };
  }
  return {
    parentPid,
    service: lookup.service,
    serviceNote: `pid ${parentPid} is not a service's process (a console Apache): only its restart event reaches it`,
  };
}

/** The configuration Apache pid N runs with, or exit 3: a name that cannot be checked restarts nothing. */
async function readRunningConfig(
  parentPid: number,
  executor: Executor,
  deadline: Deadline,
  files: FileView | undefined,
  what: string,
): Promise<ApacheConfig> {
  const way = `pass --all to restart that whole Apache without the check`;
  const line = await readCommandLine(executor, parentPid, { timeoutMs: deadline.remainingMs() });
  if (line === null) {
    throw new WsgictlError(
      'NO_SUCH_GROUP',
      `cannot check ${what}: the command line of Apache pid ${parentPid} cannot be read (Win32_Process); ${way}`,
    );
  }
  let config: ApacheConfig;
  try {
    config = loadWindowsConfig(line, files);
  } catch (error) {
    throw new WsgictlError(
      'NO_SUCH_GROUP',
      `cannot check ${what} against the configuration of Apache pid ${parentPid} (${(error as Error).message}); ${way}`,
      { cause: error },
    );
  }
  if (config.files.length === 0) {
    throw new WsgictlError(
      'NO_SUCH_GROUP',
      `cannot check ${what}: ${config.configFile}, the configuration of Apache pid ${parentPid}, cannot be read; ${way}`,
    );
  }
  return config;
}

/** Every step tried and why it failed, and what to do, in one line. */
export function describeFailure(result: WindowsRestartResult): string {
  const tried = result.attempts
    .map((attempt) => `${attempt.step}: ${attempt.outcome} (${attempt.detail})`)
    .join('; ');
  const elevate = result.attempts.some((attempt) => attempt.outcome === 'denied' && attempt.elevate !== false)
    ? ' Access was denied: run wsgictl from an elevated prompt.'
    : '';
  return `could not restart Apache pid ${result.parentPid}; tried ${tried}.${elevate}`;
}

const OUTCOMES: Record<Exclude<WindowsRestartResult['outcome'], 'failed'>, ReloadOutcome> = {
  restarted: 'replaced',
  timeout: 'timeout',
  'dry-run': 'dry-run',
};

/** The restart, said in the shape every reload result has: one result per group named (`*` for none). */
export function toGroupResults(result: WindowsRestartResult, groups: string[]): GroupReloadResult[] {
  if (result.outcome === 'failed') throw new WsgictlError('FAILED', describeFailure(result));
  const outcome = OUTCOMES[result.outcome];
  const newPids = result.newChild === null ? [] : [result.newChild];
  const restart = { method: result.method, service: result.service, attempts: result.attempts };
  return (groups.length > 0 ? groups : ['*']).map((group) => ({
    instance: result.parentPid,
    group,
    signal: 'apache-restart',
    oldPids: result.oldChildren,
    newPids,
    ms: result.ms,
    outcome,
    skipped: [],
    missing: outcome === 'timeout' ? result.oldChildren.length || 1 : 0,
    members: result.oldChildren.map((pid, i) =>
      outcome === 'replaced' && i === 0 && result.newChild !== null
        ? { pid, state: 'replaced' as const, newPid: result.newChild }
        : { pid, state: outcome === 'dry-run' ? ('not-signalled' as const) : ('missing' as const) },
    ),
    restart: result.note === undefined ? restart : { ...restart, note: result.note },
  }));
}

/**
 * `--touch SCRIPT` in embedded mode (the only mode on Windows): with WSGIScriptReloading On, mod_wsgi
 * reloads the script inside the running child on its next request; no process restarts.
 */
function touchInPlace(
  request: ReloadRequest & { touch: string },
  config: ApacheConfig,
  parentPid: number,
  deps: WindowsReloaderDeps,
): GroupReloadResult[] {
  const app = findTouchScript(request.touch, config);
  const off = findScriptReloadingOff(config, deps.files);
  if (off !== null) {
    throw usageError(
      `--touch ${request.touch} would do nothing: WSGIScriptReloading Off (${off}) makes mod_wsgi ignore the script's mtime; leave out --touch to restart Apache instead`,
    );
  }
  if (!request.dryRun) (deps.touch ?? touchScript)(request.touch);
  const groups = request.groups.length > 0 ? request.groups : [app.url];
  return groups.map((group) => ({
    instance: parentPid,
    group,
    signal: 'touch',
    oldPids: [],
    newPids: [],
    ms: 0,
    outcome: request.dryRun ? 'dry-run' : 'touched',
    skipped: [],
    missing: 0,
    members: [],
  }));
}

/**
 * Windows: a reload is a graceful restart of the whole Apache instance, the way ap_signal_parent() does it
 * (the event ap<pid>_restart), then through the service manager; confirmed by a new child process. The
 * group names are checked against the configuration first; `--touch` reloads one script in place instead.
 */
export function createWindowsReloader(deps: WindowsReloaderDeps): Reloader {
  return {
    platform: 'windows',
    async reload(given) {
      const request: WindowsReloadRequest = given;
      assertPlatformOptions(request, 'windows');
      if (request.service !== undefined) validateServiceName(request.service);
      if (request.instance !== undefined) validatePid(request.instance, '--instance');
      const clock = deps.clock ?? systemClock;
      const deadline = createDeadline(clock, request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      const executor = deps.executor ?? createExecutor();
      const list = async () => (await deps.source.list()).processes;
      const parentPid = await resolveParent(request, await list(), deps.readText);
      if (request.touch !== undefined || !request.all) {
        const what =
          request.touch !== undefined
            ? `--touch ${request.touch}`
            : `group ${request.groups.map((name) => `"${name}"`).join(', ')}`;
        const config = await readRunningConfig(parentPid, executor, deadline, deps.files, what);
        if (!request.all) assertGroupsExist(wsgiAppsOf(config), request.groups);
        if (request.touch !== undefined)
          return touchInPlace({ ...request, touch: request.touch }, config, parentPid, deps);
      }
      const target = await resolveTarget(request.service, parentPid, executor, deadline);
      const result = await restartWindowsApache(
        target,
        { executor, list, clock },
        {
          timeoutMs: deadline.timeoutMs,
          deadline,
          dryRun: request.dryRun,
          allowStopStart: request.allowStopStart,
        },
      );
      return toGroupResults(result, request.all ? [] : request.groups);
    },
  };
}
