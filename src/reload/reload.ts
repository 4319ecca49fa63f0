import { addCrashErrors, markGroupLogs } from '../errorlog/group-errors.js';
import type { LogLine } from '../errorlog/parse.js';
import { createLogTail } from '../errorlog/tail.js';
import { addCheck, assertCheckable, prepareCheck } from '../health/check.js';
import type { PreflightDeps } from '../preflight/preflight.js';
import { findReport, preflightPlans } from '../preflight/run.js';
import type { ProcessInfo, ProcessSource } from '../processes/types.js';
import { isPreloaded, type ProcessProof, proveReplacements } from './canary.js';
import { countEachInFlight } from './confirm/in-flight.js';
import { proveReplacement } from './confirm/pairing.js';
import { describeMembers, plannedResult, settledResult } from './confirm/result.js';
import { annotateMembers, type StuckFacts } from './confirm/stuck.js';
import {
  findStillRunning,
  readGroup,
  type WaitGoal,
  type WaitResult,
  waitForReplacements,
} from './confirm/wait.js';
import { discoverAndPlan } from './discover-plan.js';
import { assertKillAfter, createEscalator, type Escalator, formatKillAfter } from './escalate.js';
import { PartialReloadError, type PlanFailure } from './partial.js';
import type { GroupPlan } from './plan.js';
import { defaultKill, type Kill } from './recheck.js';
import { assertAllowed, signalOne } from './send.js';
import { assertRestartSignal, type RestartSignal } from './signals.js';
import { touchAndConfirm } from './touch.js';
import { takeTurns } from './turns.js';
import type { GroupReloadResult, ReloadEvent, ReloadRequest } from './types.js';
import { describeUnheeded, findUnheeded } from './unheeded.js';

export const DEFAULT_TIMEOUT_MS = 30_000;

export interface ReloadDeps {
  kill?: Kill;
  onEvent?: (event: ReloadEvent) => void;
  /**
   * True once the user asked to stop (Ctrl-C): a rolling reload signals no further process after the
   * step under way, and groups not yet started are left alone. A group signalled all at once is one step.
   */
  stopRequested?: () => boolean;
  /** The pre-flight's outside world (tests); default this machine's. */
  preflight?: PreflightDeps;
}

/** The dependencies with their defaults filled in; the pre-flight's stay optional (its default is the host). */
type FullDeps = Required<Omit<ReloadDeps, 'preflight'>> & Pick<ReloadDeps, 'preflight'>;

/**
 * Waits for one rolling step, with the whole timeout for this process, and pairs it with its replacement
 * where the group's members before the signal and after the step prove the pair (see proveReplacement).
 * A step that timed out pairs nothing.
 */
async function waitForStep(
  goal: Omit<WaitGoal, 'replacements' | 'deadline'>,
  target: ProcessInfo,
  beforeSignal: ReadonlyMap<number, string>,
  paired: Map<number, number>,
  timeoutMs: number,
): Promise<WaitResult> {
  const step = await waitForReplacements({
    ...goal,
    replacements: goal.signalled.length,
    deadline: Date.now() + timeoutMs,
  });
  const proven = step.done
    ? proveReplacement(target.pid, beforeSignal, step.members ?? new Map(), (step.died ?? []).length)
    : null;
  if (proven !== null) paired.set(target.pid, proven);
  return step;
}

/**
 * The planned result, with the targets that will not act on `signal` (read from their signal masks before
 * anything is sent) named in `warnings` and reported at once as `warning` events, before any wait.
 */
async function warnUnheeded(
  source: ProcessSource,
  plan: GroupPlan,
  signal: RestartSignal,
  killAfterMs: number | undefined,
  deps: FullDeps,
) {
  const planned = plannedResult(plan, signal);
  if (killAfterMs !== undefined) planned.killAfterMs = killAfterMs;
  const unheeded = await findUnheeded(source, plan.targets, signal);
  const killAfter = killAfterMs === undefined ? null : formatKillAfter(killAfterMs);
  const warnings = unheeded.map((each) => describeUnheeded(each, plan.group, signal, killAfter));
  for (const [i, each] of unheeded.entries()) {
    deps.onEvent({
      type: 'warning',
      instance: plan.instance.parent.pid,
      group: plan.group,
      pid: each.pid,
      message: warnings[i] ?? '',
    });
  }
  if (warnings.length > 0) planned.warnings = warnings;
  return { planned, unheeded };
}

/** --kill-after: SIGKILL through signalOne (the same re-check as the first signal), or null without it. */
function createPlanEscalator(
  source: ProcessSource,
  plan: GroupPlan,
  killAfterMs: number | undefined,
  deps: FullDeps,
): Escalator | null {
  if (killAfterMs === undefined) return null;
  return createEscalator({
    killAfterMs,
    send: async (target) => {
      const why = await signalOne(source, plan, target, 'SIGKILL', deps);
      if (why === null) {
        deps.onEvent({
          type: 'killed',
          instance: plan.instance.parent.pid,
          group: plan.group,
          pid: target.pid,
          afterMs: killAfterMs,
        });
      }
      return why;
    },
  });
}

/** The wait's sleep between polls, with the due SIGKILLs sent first: every kill is awaited, none races. */
function escalateBetweenPolls(escalator: Escalator): (ms: number) => Promise<void> {
  return async (ms) => {
    await escalator.tick();
    await new Promise<void>((resolve) => setTimeout(resolve, ms));
  };
}

/** A lazily loaded app cannot fail (or be proven) in one process before it serves: said once, up front. */
function warnLazy(plan: GroupPlan, result: GroupReloadResult, deps: FullDeps): void {
  const message = `group ${plan.group} loads its app on the first request (no process-group= with application-group= on its WSGIScriptAlias): one process cannot be proven before it serves, so each step is judged by its replacement coming up, and the group by --check at the end`;
  result.warnings = [...(result.warnings ?? []), message];
  const pid = plan.targets[0]?.pid ?? 0;
  deps.onEvent({ type: 'warning', instance: plan.instance.parent.pid, group: plan.group, pid, message });
}

async function reloadPlan(
  source: ProcessSource,
  plan: GroupPlan,
  request: ReloadRequest,
  deps: FullDeps,
  readEvidence: () => LogLine[],
): Promise<GroupReloadResult> {
  const signal = request.signal ?? 'SIGINT';
  const timeoutMs = request.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const wait = request.wait !== false;
  const rolling = request.rolling === true && wait;
  const instancePid = plan.instance.parent.pid;
  const { planned: result, unheeded } = await warnUnheeded(source, plan, signal, request.killAfterMs, deps);
  const stuck: StuckFacts = {
    signal,
    unheeded,
    killed: new Map(),
    spared: new Map(),
    inFlight: new Map(),
  };
  if (request.dryRun) return { ...result, members: annotateMembers(result.members, stuck) };

  const started = Date.now();
  const signalled: ProcessInfo[] = [];
  const skipped = new Map<number, string>();
  const paired = new Map<number, number>();
  const escalator = createPlanEscalator(source, plan, request.killAfterMs, deps);
  const goal = {
    source,
    context: plan.instance.context,
    group: plan.group,
    before: plan.targets,
    signalled,
    readEvidence,
    sleep: escalator ? escalateBetweenPolls(escalator) : undefined,
  };
  let lastStep: WaitResult | null = null;
  let stopped = false;
  // --canary N: the first N one at a time, each proven; the rest at once. --rolling --check: each proven.
  const canary = wait ? (request.canary ?? 0) : 0;
  const prove = wait && ((rolling && request.check !== undefined) || canary > 0);
  const preloaded = isPreloaded(plan.instance, plan.group);
  if (prove && !preloaded) warnLazy(plan, result, deps);
  let unproven: ProcessProof | null = null;
  // Signals sent since the last step's wait, which the final wait must cover.
  let unwaited = false;
  for (const target of plan.targets) {
    const stepwise = rolling || signalled.length < canary;
    if (stepwise && signalled.length > 0 && deps.stopRequested()) {
      stopped = true;
      break;
    }
    // The group just before this step's signal: what proves which new pid is this process's replacement.
    const beforeSignal = stepwise
      ? (await readGroup(source, plan.instance.context, plan.group)).members
      : null;
    const reason = await signalOne(source, plan, target, signal, deps);
    if (reason) {
      skipped.set(target.pid, reason);
      result.skipped.push({ pid: target.pid, reason });
      continue;
    }
    signalled.push(target);
    escalator?.arm(target);
    if (!stepwise) {
      unwaited = true;
      continue;
    }
    // The next process is signalled only once this one's replacement is up, so the group never has more
    // than one process down; a step that times out ends the reload and leaves the rest alone.
    lastStep = await waitForStep(goal, target, beforeSignal ?? new Map(), paired, timeoutMs);
    const newPid = paired.get(target.pid);
    const event = { instance: instancePid, group: plan.group, oldPid: target.pid };
    if (newPid !== undefined) deps.onEvent({ type: 'replaced', ...event, newPid });
    else if (lastStep.done) deps.onEvent({ type: 'stepped', ...event, newPids: lastStep.newPids });
    if (!lastStep.done) break;
    if (!prove || !preloaded) continue;
    // Stop at the first replacement that does not prove itself: every other member keeps the old code.
    const proof = await proveReplacements(
      source,
      lastStep.members ?? new Map(),
      lastStep.newPids,
      readEvidence,
    );
    if (!proof.ok) {
      unproven = proof;
      break;
    }
  }
  const facts = {
    targets: plan.targets.map((target) => target.pid),
    signalled: new Set(signalled.map((target) => target.pid)),
    skipped,
    paired,
    waited: wait,
  };
  if (!wait) {
    const members = describeMembers({ ...facts, newPids: [], running: new Set() });
    return {
      ...result,
      ms: Date.now() - started,
      outcome: 'sent',
      members: annotateMembers(members, stuck),
    };
  }
  // With --rolling the last step's wait covers the whole group (it also needs as many members as before).
  const final =
    lastStep !== null && !unwaited
      ? lastStep
      : await waitForReplacements({
          ...goal,
          replacements: signalled.length,
          deadline: rolling || canary > 0 ? Date.now() + timeoutMs : started + timeoutMs,
        });
  const [only] = signalled;
  if (!rolling && final.done && signalled.length === 1 && only) {
    // One process signalled at once is a step of its own: the group as planned proves its pair, or not.
    const planned = new Map(plan.targets.map((target) => [target.pid, target.startKey]));
    const proven = proveReplacement(only.pid, planned, final.members ?? new Map(), (final.died ?? []).length);
    if (proven !== null) paired.set(only.pid, proven);
  }
  const unpaired = signalled.filter((target) => !paired.has(target.pid));
  const running = final.done ? new Set<number>() : await findStillRunning(source, unpaired);
  const endedInOrder = (final.ended ?? []).filter((end) => end.kind === 'churn').length;
  const members = annotateMembers(
    describeMembers({ ...facts, newPids: final.newPids, running, endedInOrder }),
    {
      ...stuck,
      killed: escalator?.killed ?? new Map(),
      spared: escalator?.spared ?? new Map(),
      inFlight: await countEachInFlight(source, running),
    },
  );
  const settled = settledResult(result, final, started, members);
  if (unproven) return { ...settled, outcome: 'canary-failed', canary: unproven };
  return stopped && settled.outcome === 'replaced' ? { ...settled, outcome: 'stopped' } : settled;
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
  // The type says so, but a library caller in plain JavaScript could still ask for SIGKILL.
  if (request.signal !== undefined) assertRestartSignal(request.signal);
  assertKillAfter(request, request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const full: FullDeps = {
    kill: deps.kill ?? defaultKill,
    onEvent: deps.onEvent ?? (() => {}),
    stopRequested: deps.stopRequested ?? (() => false),
    preflight: deps.preflight,
  };
  // A dry run signals nothing, so it needs no turn; every other reload waits for the one under way.
  if (request.dryRun) return reloadInTurn(source, request, full);
  const turn = await takeTurns(source, request, request.timeoutMs ?? DEFAULT_TIMEOUT_MS, full.onEvent);
  const noteWait = (result: GroupReloadResult): GroupReloadResult => {
    const waited = turn.waited.get(result.instance);
    return waited ? { ...result, waitedForLock: waited } : result;
  };
  try {
    return (await reloadInTurn(source, request, full)).map(noteWait);
  } catch (error) {
    if (error instanceof PartialReloadError)
      error.results.splice(0, Infinity, ...error.results.map(noteWait));
    throw error;
  } finally {
    turn.release();
  }
}

/** The reload itself, once it is this reload's turn: plan from the processes as they are now, then signal. */
async function reloadInTurn(
  source: ProcessSource,
  request: ReloadRequest,
  full: FullDeps,
): Promise<GroupReloadResult[]> {
  const plans = await discoverAndPlan(source, request);
  // Before any signal (a dry run too): code that does not compile refuses the whole reload here.
  const reports =
    request.preflight === false
      ? []
      : await preflightPlans(plans, full.preflight, request.preflight === 'import' ? 'import' : 'compile');
  const withReport = (result: GroupReloadResult): GroupReloadResult => {
    const report = findReport(reports, result);
    return report ? { ...result, preflight: report } : result;
  };
  return (await reloadPlans(source, request, full, plans)).map(withReport);
}

async function reloadPlans(
  source: ProcessSource,
  request: ReloadRequest,
  full: FullDeps,
  plans: GroupPlan[],
): Promise<GroupReloadResult[]> {
  const check = request.check;
  if (check) assertCheckable(request);
  // Before any signal: where each group's error logs end now, and the requests to send after.
  const marks = request.dryRun ? [] : plans.map((plan) => markGroupLogs(plan.instance, plan.group));
  const checks = check
    ? plans.map((plan, i) => prepareCheck(plan.instance, plan.group, check, marks[i] ?? []))
    : [];
  // How replacements that die end (crashed, or churned) is read from the same logs, as it is written.
  const tails = marks.map((mark) => createLogTail(mark));
  const judge = (result: GroupReloadResult, i: number) =>
    result.crashLoop ? addCrashErrors(result, marks[i]) : addCheck(result, checks[i], check);
  if (request.touch !== undefined) {
    const touched = await touchAndConfirm(
      source,
      plans,
      { ...request, touch: request.touch, timeoutMs: request.timeoutMs ?? DEFAULT_TIMEOUT_MS },
      tails,
    );
    return Promise.all(touched.map(judge));
  }
  // A dry run makes every check the real run makes (signal 0 asks the kernel), and sends nothing.
  assertAllowed(plans, full.kill);
  const results: GroupReloadResult[] = [];
  const failures: PlanFailure[] = [];
  for (const [i, plan] of plans.entries()) {
    if (i > 0 && full.stopRequested()) {
      results.push({ ...plannedResult(plan, request.signal ?? 'SIGINT'), outcome: 'stopped' });
      continue;
    }
    // A group that fails never hides what happened to the others, nor stops them.
    try {
      const tail = tails[i] ?? (() => []);
      results.push(await judge(await reloadPlan(source, plan, request, full, tail), i));
    } catch (error) {
      failures.push({ group: plan.group, instance: plan.instance.parent.pid, error });
    }
  }
  if (failures.length === 0) return results;
  const [only] = failures;
  if (results.length === 0 && failures.length === 1 && only) throw only.error;
  throw new PartialReloadError(results, failures);
}
