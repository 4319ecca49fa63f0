import type { WaitResult } from './confirm.js';
import type { GroupPlan } from './plan.js';
import type { GroupReloadResult } from './types.js';

/** A group's result before anything was sent: what `--dry-run` reports. */
export function plannedResult(plan: GroupPlan, signal: GroupReloadResult['signal']): GroupReloadResult {
  return {
    instance: plan.instance.parent.pid,
    group: plan.group,
    signal,
    oldPids: plan.targets.map((target) => target.pid),
    newPids: [],
    ms: 0,
    outcome: 'dry-run',
    skipped: [...plan.skipped],
    missing: 0,
  };
}

/** The result once waiting for `expected` replacements ended, in success or at the deadline. */
export function settledResult(
  result: GroupReloadResult,
  wait: WaitResult,
  startedMs: number,
  expected: number,
): GroupReloadResult {
  return {
    ...result,
    newPids: wait.newPids,
    ms: Date.now() - startedMs,
    outcome: wait.done ? 'replaced' : 'timeout',
    missing: wait.done ? 0 : Math.max(1, expected - wait.newPids.length),
  };
}
