import { type Clock, systemClock } from '../clock.js';
import { isApacheComm } from '../processes/apache-names.js';
import { createDeadline, type Deadline } from './deadline.js';
import { type Attempt, setRestartEvent } from './event.js';
import type { Executor } from './exec.js';
import { collapseServiceName } from './names.js';
import {
  isLocalSystem,
  readServiceConfig,
  restartWithHttpd,
  type ServiceConfig,
  stopStartService,
} from './service.js';
import { apachePids } from './target.js';
import { type ListProcesses, waitForNewChild } from './wait-child.js';

/** What to restart: an Apache parent pid and, when it runs as one, its service. */
export interface RestartTarget {
  parentPid: number;
  /** The service name, or null for a console Apache. */
  service: string | null;
  /** Why there is no service (a console Apache, or the lookup failed): said when the service steps are skipped. */
  serviceNote: string;
}

export interface RestartDeps {
  executor: Executor;
  list: ListProcesses;
  clock?: Clock;
}

export interface RestartOptions {
  /** The whole restart's time: every command and the wait for the new child (used when no `deadline`). */
  timeoutMs: number;
  /** The reload's deadline, when it started before the restart (the service lookup counts too). */
  deadline?: Deadline;
  dryRun?: boolean;
  /** Allow `net stop` + `net start`, which cuts every request in flight. */
  allowStopStart?: boolean;
}

export interface WindowsRestartResult {
  parentPid: number;
  service: string | null;
  /** Every step tried, in order, with how it ended. */
  attempts: Attempt[];
  /** The step that restarted Apache, or null. */
  method: string | null;
  outcome: 'restarted' | 'timeout' | 'failed' | 'dry-run';
  oldChildren: number[];
  newChild: number | null;
  ms: number;
  /** What the user should know about how it was done (a hard restart cut requests in flight). */
  note?: string;
}

/** A planned step: `skip` says why it will not run (it is still shown, so the user sees the whole chain). */
export type Step = { label: string; run: () => Promise<Attempt>; skip?: string };

export const STOP_START_NOTE =
  'not tried: a stop and start cuts every request in flight; pass --allow-stop-start to allow it';

/** Apache's children of this parent: httpd.exe only, never the conhost.exe a console Apache also has. */
export function apacheChildren(processes: { pid: number; ppid: number; comm: string }[], parentPid: number) {
  return processes
    .filter((info) => info.ppid === parentPid && isApacheComm(info.comm))
    .map((info) => info.pid);
}

/**
 * The steps, lightest first: Apache's restart event in this session's namespace, then in `Global\` (a
 * service, or a console Apache started in another session: Task Scheduler, a service wrapper, SSH), then
 * httpd's own service control, then (only when allowed) stop + start.
 */
export function planSteps(
  target: RestartTarget,
  executor: Executor,
  options: { allowStopStart?: boolean; remainingMs?: () => number } = {},
): Step[] {
  const { parentPid, service } = target;
  const timeout = () => ({ timeoutMs: options.remainingMs?.() ?? 60_000 });
  let config: Promise<ServiceConfig | null> | undefined;
  const readConfig = (name: string) => {
    config ??= readServiceConfig(executor, name, timeout());
    return config;
  };
  const event = (global: boolean) => async () => {
    const attempt = await setRestartEvent(executor, parentPid, global, timeout());
    if (attempt.outcome !== 'denied' || service === null) return attempt;
    if (!isLocalSystem((await readConfig(service))?.account ?? null)) return attempt;
    return {
      ...attempt,
      elevate: false,
      detail: `access denied: service ${service} runs as LocalSystem (sc qc ${service}), and an event Apache creates there lets Administrators wait on it but not set it, so an elevated prompt is refused too; the service control (httpd.exe -k restart -n ${service}) is the way`,
    };
  };
  const steps: Step[] = [
    { label: `event ap${parentPid}_restart`, run: event(false) },
    { label: `event Global\\ap${parentPid}_restart`, run: event(true) },
  ];
  if (service === null) return steps;
  const httpdName = collapseServiceName(service);
  steps.push({
    label: `httpd.exe -k restart -n ${httpdName}`,
    run: async () =>
      restartWithHttpd(executor, (await readConfig(service))?.binary ?? 'httpd.exe', httpdName, timeout()),
    skip:
      httpdName === service
        ? undefined
        : `not tried: httpd drops the spaces of -n and would look for service "${httpdName}", so "${service}" was not installed by httpd -k install`,
  });
  steps.push({
    label: `net stop/start ${service}`,
    run: () => stopStartService(executor, service, () => timeout().timeoutMs),
    skip: options.allowStopStart ? undefined : STOP_START_NOTE,
  });
  return steps;
}

function serviceSkipped(target: RestartTarget): Attempt[] {
  return target.service === null
    ? [{ step: 'service restart', outcome: 'skipped', detail: target.serviceNote }]
    : [];
}

/**
 * Restarts one Apache on Windows gracefully, the way ap_signal_parent() does, falling back to the service
 * manager; stops at the first step that works and confirms it by a new child process. Every command and
 * the wait share one deadline.
 */
export async function restartWindowsApache(
  target: RestartTarget,
  deps: RestartDeps,
  options: RestartOptions,
): Promise<WindowsRestartResult> {
  const clock = deps.clock ?? systemClock;
  const deadline = options.deadline ?? createDeadline(clock, options.timeoutMs);
  const before = await deps.list();
  const oldPids = apachePids(before);
  const steps = planSteps(target, deps.executor, {
    allowStopStart: options.allowStopStart,
    remainingMs: () => deadline.remainingMs(),
  });
  const result: WindowsRestartResult = {
    parentPid: target.parentPid,
    service: target.service,
    attempts: [],
    method: null,
    outcome: 'failed',
    oldChildren: apacheChildren(before, target.parentPid),
    newChild: null,
    ms: 0,
  };
  if (options.dryRun) {
    result.attempts = [
      ...steps.map(
        (step): Attempt => ({ step: step.label, outcome: 'skipped', detail: step.skip ?? 'dry run' }),
      ),
      ...serviceSkipped(target),
    ];
    result.outcome = 'dry-run';
    return result;
  }
  const started = clock.now();
  for (const step of steps) {
    if (step.skip !== undefined) {
      result.attempts.push({ step: step.label, outcome: 'skipped', detail: step.skip });
      continue;
    }
    if (deadline.remainingMs() <= 0) {
      result.attempts.push({
        step: step.label,
        outcome: 'skipped',
        detail: `not tried: --timeout ${deadline.timeoutMs / 1000}s had passed`,
      });
      continue;
    }
    const attempt = await step.run();
    result.attempts.push(attempt);
    if (attempt.outcome !== 'done') continue;
    result.method = attempt.step;
    const hard = attempt.step.startsWith('net ');
    if (hard)
      result.note =
        'a hard restart (net stop + net start, allowed by --allow-stop-start): requests in flight were cut';
    // After a stop/start (or `-k restart` starting a stopped service) the parent is new; else it stays.
    const newParent = hard || /service is running\./.test(attempt.detail);
    const sameParent = newParent ? undefined : target.parentPid;
    const confirmation = await waitForNewChild(deps.list, oldPids, deadline.remainingMs(), clock, sameParent);
    result.newChild = confirmation.newChild?.pid ?? null;
    result.outcome = confirmation.newChild ? 'restarted' : 'timeout';
    result.ms = clock.now() - started;
    return result;
  }
  result.attempts.push(...serviceSkipped(target));
  result.ms = clock.now() - started;
  return result;
}
