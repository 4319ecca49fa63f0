import { WINDOWS_SERVER_ROOT } from '../apache/config.js';
import { WsgictlError } from '../errors.js';
import { formatList } from '../format.js';
import type { ProcessInfo } from '../processes/types.js';
import type { Clock } from '../windows/confirm.js';
import { createExecutor, type Executor } from '../windows/exec.js';
import { validatePid, validateServiceName } from '../windows/names.js';
import { type RestartTarget, restartWindowsApache, type WindowsRestartResult } from '../windows/restart.js';
import { findServiceByPid } from '../windows/service.js';
import { chooseInstance, findWindowsInstances, type ReadText, readPidfile } from '../windows/target.js';
import type { CliContext } from './context.js';

/** Options of `wsgictl reload` that mean something on Windows. */
export interface WindowsReloadOptions {
  groups: string[];
  service?: string;
  pidfile?: string;
  /** The Apache parent pid (`--instance`), when several run. */
  instance?: number;
  timeoutMs: number;
  json: boolean;
  dryRun: boolean;
}

/** The outside world of the Windows path; tests replace all of it. */
export interface WindowsReloadDeps {
  executor?: Executor;
  clock?: Clock;
  readText?: ReadText;
}

/** Apache's default PidFile (logs/httpd.pid under ServerRoot) for the Windows layout. */
export const DEFAULT_WINDOWS_PIDFILE = `${WINDOWS_SERVER_ROOT}/logs/httpd.pid`;

async function resolveParent(
  options: WindowsReloadOptions,
  processes: ProcessInfo[],
  readText: ReadText | undefined,
): Promise<number> {
  if (options.pidfile !== undefined) return readPidfile(options.pidfile, readText);
  const instances = findWindowsInstances(processes);
  if (instances.length === 0 && options.instance === undefined) {
    try {
      return await readPidfile(DEFAULT_WINDOWS_PIDFILE, readText);
    } catch {
      // no default pidfile either: the error below says what to do
    }
  }
  return chooseInstance(instances, options.instance).parentPid;
}

async function resolveTarget(
  options: WindowsReloadOptions,
  parentPid: number,
  executor: Executor,
): Promise<RestartTarget> {
  if (options.service !== undefined) return { parentPid, service: options.service, serviceNote: '' };
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

function describe(result: WindowsRestartResult, groups: string[]): string[] {
  const who = `Apache pid ${result.parentPid}${result.service ? ` (service ${result.service})` : ''}`;
  const lines: string[] = [];
  if (groups.length > 0) {
    lines.push(
      `note: mod_wsgi has no daemon mode on Windows: ${formatList(groups)} restart${groups.length === 1 ? 's' : ''} with the whole Apache`,
    );
  }
  const seconds = `${(result.ms / 1000).toFixed(2)}s`;
  const old = result.oldChildren.join(' ') || '-';
  if (result.outcome === 'dry-run') {
    lines.push(`${who}: would try, in order (dry run, nothing sent):`);
    for (const attempt of result.attempts)
      lines.push(`  ${attempt.step}${attempt.detail === 'dry run' ? '' : `: ${attempt.detail}`}`);
  } else if (result.outcome === 'restarted') {
    lines.push(`${who}: restarted by ${result.method}; child ${old} -> ${result.newChild} in ${seconds}`);
  } else if (result.outcome === 'timeout') {
    lines.push(
      `${who}: ${result.method} was accepted but no new child appeared within ${seconds}; see Apache's error log`,
    );
  }
  return lines;
}

function failureMessage(result: WindowsRestartResult): string {
  const tried = result.attempts
    .map((attempt) => `${attempt.step}: ${attempt.outcome} (${attempt.detail})`)
    .join('; ');
  const elevate = result.attempts.some((attempt) => attempt.outcome === 'denied')
    ? ' Access was denied: run wsgictl from an elevated prompt.'
    : '';
  return `could not restart Apache pid ${result.parentPid}; tried ${tried}.${elevate}`;
}

/**
 * `wsgictl reload` on Windows: a graceful restart of the Apache instance (the event ap<pid>_restart, then the
 * service), confirmed by a new child process. Returns the exit code.
 */
export async function runWindowsReload(
  options: WindowsReloadOptions,
  context: CliContext,
  deps: WindowsReloadDeps = {},
): Promise<number> {
  if (options.service !== undefined) validateServiceName(options.service);
  if (options.instance !== undefined) validatePid(options.instance, '--instance');
  const executor = deps.executor ?? createExecutor();
  const source = context.source();
  const list = async () => (await source.list()).processes;
  const parentPid = await resolveParent(options, await list(), deps.readText);
  const target = await resolveTarget(options, parentPid, executor);
  const result = await restartWindowsApache(
    target,
    { executor, list, clock: deps.clock },
    { timeoutMs: options.timeoutMs, dryRun: options.dryRun },
  );
  if (options.json) context.out(`${JSON.stringify(result, null, 2)}\n`);
  if (result.outcome === 'failed') {
    if (!options.json) throw new WsgictlError('FAILED', failureMessage(result));
    return 1;
  }
  if (!options.json) context.out(`${describe(result, options.groups).join('\n')}\n`);
  return result.outcome === 'timeout' ? 1 : 0;
}
