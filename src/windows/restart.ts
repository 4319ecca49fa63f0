import { type Clock, type ListProcesses, systemClock, waitForNewChild } from './confirm.js';
import { type Attempt, setRestartEvent } from './event.js';
import type { Executor } from './exec.js';
import { readServiceBinary, restartWithHttpd, stopStartService } from './service.js';
import { apachePids } from './target.js';

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
}

type Step = { label: string; run: () => Promise<Attempt> };

/** The steps, lightest first: Apache's own restart event, then the service control, then stop + start. */
export function planSteps(target: RestartTarget, executor: Executor): Step[] {
  const { parentPid, service } = target;
  const steps: Step[] = [
    { label: `event ap${parentPid}_restart`, run: () => setRestartEvent(executor, parentPid, false) },
  ];
  if (service !== null) {
    // A service runs in session 0; from a user session its event is only reachable in the Global\ namespace.
    steps.push({
      label: `event Global\\ap${parentPid}_restart`,
      run: () => setRestartEvent(executor, parentPid, true),
    });
    steps.push({
      label: `httpd.exe -k restart -n ${service}`,
      run: async () =>
        restartWithHttpd(executor, (await readServiceBinary(executor, service)) ?? 'httpd.exe', service),
    });
    steps.push({ label: `net stop/start ${service}`, run: () => stopStartService(executor, service) });
  }
  return steps;
}

/**
 * Restarts one Apache on Windows gracefully, the way ap_signal_parent() does, falling back to the service
 * manager; stops at the first step that works and confirms it by a new child process.
 */
export async function restartWindowsApache(
  target: RestartTarget,
  deps: RestartDeps,
  options: { timeoutMs: number; dryRun?: boolean },
): Promise<WindowsRestartResult> {
  const clock = deps.clock ?? systemClock;
  const before = await deps.list();
  const oldPids = apachePids(before);
  const oldChildren = before.filter((info) => info.ppid === target.parentPid).map((info) => info.pid);
  const steps = planSteps(target, deps.executor);
  const result: WindowsRestartResult = {
    parentPid: target.parentPid,
    service: target.service,
    attempts: [],
    method: null,
    outcome: 'failed',
    oldChildren,
    newChild: null,
    ms: 0,
  };
  if (options.dryRun) {
    result.attempts = steps.map((step) => ({ step: step.label, outcome: 'skipped', detail: 'dry run' }));
    if (target.service === null) {
      result.attempts.push({ step: 'service restart', outcome: 'skipped', detail: target.serviceNote });
    }
    result.outcome = 'dry-run';
    return result;
  }
  const started = clock.now();
  for (const step of steps) {
    const attempt = await step.run();
    result.attempts.push(attempt);
    if (attempt.outcome !== 'done') continue;
    result.method = attempt.step;
    // After a stop/start (or `-k restart` starting a stopped service) the parent is new; else it stays.
    const newParent = attempt.step.startsWith('net ') || /service is running\./.test(attempt.detail);
    const sameParent = newParent ? undefined : target.parentPid;
    const confirmation = await waitForNewChild(deps.list, oldPids, options.timeoutMs, clock, sameParent);
    result.newChild = confirmation.newChild?.pid ?? null;
    result.outcome = confirmation.newChild ? 'restarted' : 'timeout';
    result.ms = clock.now() - started;
    return result;
  }
  if (target.service === null) {
    result.attempts.push({ step: 'service restart', outcome: 'skipped', detail: target.serviceNote });
  }
  result.ms = clock.now() - started;
  return result;
}
