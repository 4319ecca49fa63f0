import { discoverInstances } from '../apache/discover.js';
import { WsgictlError } from '../errors.js';
import { formatList } from '../format.js';
import type { ProcessInfo, ProcessSource } from '../processes/types.js';
import { waitForReplacements } from './confirm.js';
import { checkStillTarget, defaultKill, findRefused, type Kill } from './identity.js';
import { type GroupPlan, planReload } from './plan.js';
import { plannedResult, settledResult } from './result.js';
import { touchAndConfirm } from './touch.js';
import type { GroupReloadResult, ReloadEvent, ReloadRequest } from './types.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface ReloadDeps {
  kill?: Kill;
  onEvent?: (event: ReloadEvent) => void;
}

function assertAllowed(plans: GroupPlan[], kill: Kill): void {
  const refused = findRefused(
    plans.flatMap((plan) => plan.targets),
    kill,
  );
  if (refused.length === 0) return;
  const owners = formatList([...new Set(refused.map((target) => target.user))]);
  const groups = formatList([
    ...new Set(plans.filter((p) => p.targets.some((t) => refused.includes(t))).map((p) => p.group)),
  ]);
  throw new WsgictlError(
    'PERMISSION',
    `not allowed to signal ${groups} (processes run as ${owners}; nothing was sent): run with sudo or as ${owners}, or use --touch SCRIPT if you can write the WSGI script`,
  );
}

/** Signals one target if it is still the planned process; returns the reason when it was skipped. */
async function signalOne(
  source: ProcessSource,
  plan: GroupPlan,
  target: ProcessInfo,
  signal: NodeJS.Signals,
  deps: Required<ReloadDeps>,
): Promise<string | null> {
  const changed = await checkStillTarget(source, target, plan.instance, plan.group);
  if (changed) return changed;
  try {
    deps.kill(target.pid, signal);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return 'exited before it was signalled';
    throw new WsgictlError('PERMISSION', `signalling pid ${target.pid} failed (${code}): run with sudo`, {
      cause: error,
    });
  }
  deps.onEvent({
    type: 'signalled',
    instance: plan.instance.parent.pid,
    group: plan.group,
    pid: target.pid,
    signal,
  });
  return null;
}

async function reloadPlan(
  source: ProcessSource,
  plan: GroupPlan,
  request: ReloadRequest,
  deps: Required<ReloadDeps>,
): Promise<GroupReloadResult> {
  const signal = request.signal ?? 'SIGINT';
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const wait = request.wait !== false;
  const instancePid = plan.instance.parent.pid;
  const result = plannedResult(plan, signal);
  if (request.dryRun) return result;

  const started = Date.now();
  const deadline = started + timeoutMs;
  const signalled: ProcessInfo[] = [];
  const goal = {
    source,
    context: plan.instance.context,
    group: plan.group,
    before: plan.targets,
    signalled,
    deadline,
  };
  for (const target of plan.targets) {
    const skipped = await signalOne(source, plan, target, signal, deps);
    if (skipped) {
      result.skipped.push({ pid: target.pid, reason: skipped });
      continue;
    }
    signalled.push(target);
    if (request.rolling && wait) {
      // The next process is signalled only once this one's replacement is up, so the group never has
      // more than one process down.
      const step = await waitForReplacements({ ...goal, replacements: signalled.length });
      if (!step.done) return settledResult(result, step, started, signalled.length);
      for (const pid of step.newPids) {
        if (!result.newPids.includes(pid)) {
          deps.onEvent({
            type: 'replaced',
            instance: instancePid,
            group: plan.group,
            oldPid: target.pid,
            newPid: pid,
          });
        }
      }
      result.newPids = step.newPids;
    }
  }
  if (!wait) return { ...result, ms: Date.now() - started, outcome: 'sent' };
  const final = await waitForReplacements({ ...goal, replacements: signalled.length });
  return settledResult(result, final, started, plan.targets.length);
}

/**
 * Reloads whole daemon groups: finds their processes in every (or the chosen) Apache instance, checks
 * that every one may be signalled before sending anything, re-checks each process just before its signal,
 * and waits until the parent has started their replacements. Groups are reloaded one after another.
 */
export async function reloadGroups(
  source: ProcessSource,
  request: ReloadRequest,
  deps: ReloadDeps = {},
): Promise<GroupReloadResult[]> {
  const instances = await discoverInstances(source, { instance: request.instance });
  if (request.instance !== undefined && instances.length === 0) {
    throw new WsgictlError(
      'NO_PROCESSES',
      `no Apache parent with pid ${request.instance}: check \`wsgictl ps\``,
    );
  }
  const plans = planReload(instances, request.groups, {
    all: request.all === true,
    trustConfig: request.trustConfig === true,
  });
  const full: Required<ReloadDeps> = { kill: deps.kill ?? defaultKill, onEvent: deps.onEvent ?? (() => {}) };
  if (request.touch !== undefined) {
    return touchAndConfirm(source, plans, {
      ...request,
      touch: request.touch,
      timeoutMs: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
  }
  // A dry run makes every check the real run makes (signal 0 asks the kernel), and sends nothing.
  assertAllowed(plans, full.kill);
  const results: GroupReloadResult[] = [];
  for (const plan of plans) results.push(await reloadPlan(source, plan, request, full));
  return results;
}
