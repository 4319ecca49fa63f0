import { WINDOWS_SERVER_ROOT } from '../apache/config.js';
import { usageError, WsgictlError } from '../errors.js';
import type { ProcessInfo, ProcessSource } from '../processes/types.js';
import type { Clock } from '../windows/confirm.js';
import { createExecutor, type Executor } from '../windows/exec.js';
import { validatePid, validateServiceName } from '../windows/names.js';
import { type RestartTarget, restartWindowsApache, type WindowsRestartResult } from '../windows/restart.js';
import { findServiceByPid } from '../windows/service.js';
import { chooseInstance, findWindowsInstances, type ReadText, readPidfile } from '../windows/target.js';
import { DEFAULT_TIMEOUT_MS } from './reload.js';
import type { Reloader } from './reloader.js';
import type { GroupReloadResult, ReloadOutcome, ReloadRequest } from './types.js';

/** Apache's default PidFile (logs/httpd.pid under ServerRoot) for the Windows layout. */
export const DEFAULT_WINDOWS_PIDFILE = `${WINDOWS_SERVER_ROOT}/logs/httpd.pid`;

/** The outside world of the Windows path; tests replace all of it. */
export interface WindowsReloaderDeps {
  source: ProcessSource;
  executor?: Executor;
  clock?: Clock;
  readText?: ReadText;
}

/** Options that ask for something only daemon mode can do: refused, never silently ignored. */
function assertSupported(request: ReloadRequest): void {
  const unsupported = [
    request.rolling && '--rolling',
    request.signal !== undefined && '--signal/--graceful',
    request.touch !== undefined && '--touch',
    request.url !== undefined && '--url',
    request.all && '--all',
    request.wait === false && '--no-wait',
    request.trustConfig && '--trust-config',
    // The whole Apache restarts there; a check of its mount points is not written for that path yet.
    request.check !== undefined && '--check',
  ].filter((option): option is string => typeof option === 'string');
  if (unsupported.length > 0) {
    throw usageError(
      `${unsupported.join(', ')} cannot be honoured on Windows: mod_wsgi has no daemon mode there, so a reload is a graceful restart of the whole Apache; leave ${unsupported.length === 1 ? 'it' : 'them'} out`,
    );
  }
}

async function resolveParent(
  request: ReloadRequest,
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
): Promise<RestartTarget> {
  if (service !== undefined) return { parentPid, service, serviceNote: '' };
  const lookup = await findServiceByPid(executor, parentPid);
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

/** Every step tried and why it failed, and what to do, in one line. */
export function describeFailure(result: WindowsRestartResult): string {
  const tried = result.attempts
    .map((attempt) => `${attempt.step}: ${attempt.outcome} (${attempt.detail})`)
    .join('; ');
  const elevate = result.attempts.some((attempt) => attempt.outcome === 'denied')
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
    restart: { method: result.method, service: result.service, attempts: result.attempts },
  }));
}

/**
 * Windows: a reload is a graceful restart of the whole Apache instance, the way ap_signal_parent() does it
 * (the event ap<pid>_restart), then through the service manager; confirmed by a new child process.
 */
export function createWindowsReloader(deps: WindowsReloaderDeps): Reloader {
  return {
    platform: 'windows',
    async reload(request) {
      assertSupported(request);
      if (request.service !== undefined) validateServiceName(request.service);
      if (request.instance !== undefined) validatePid(request.instance, '--instance');
      const executor = deps.executor ?? createExecutor();
      const list = async () => (await deps.source.list()).processes;
      const parentPid = await resolveParent(request, await list(), deps.readText);
      const target = await resolveTarget(request.service, parentPid, executor);
      const result = await restartWindowsApache(
        target,
        { executor, list, clock: deps.clock },
        { timeoutMs: request.timeoutMs ?? DEFAULT_TIMEOUT_MS, dryRun: request.dryRun },
      );
      return toGroupResults(result, request.groups);
    },
  };
}
