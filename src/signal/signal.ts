import { WsgictlError } from '../errors.js';
import type { ApacheInstance } from '../groups/instance.js';
import type { ProcessInfo, ProcessSource } from '../processes/types.js';
import { discoverAndPlan } from '../reload/discover-plan.js';
import type { GroupPlan } from '../reload/plan.js';
import { defaultKill, findChange, type Kill } from '../reload/recheck.js';
import { DEFAULT_TIMEOUT_MS } from '../reload/reload.js';
import { assertAllowed, type SendDeps, signalOne } from '../reload/send.js';
import type { AppSignal } from '../reload/signals.js';
import { takeTurns } from '../reload/turns.js';
import type { ReloadEvent, ReloadRequest } from '../reload/types.js';
import { assertReachesApp, assertSignalPlatform, decideWsgiVersion, type VersionVerdict } from './decide.js';
import { readModuleVersion, readStartLineVersion } from './read-version.js';
import type { GroupSignalResult, SignalMember, SignalRequest } from './types.js';

/**
 * How long after the last signal the processes are looked at again. A signal a daemon does not handle ends
 * it as it is delivered; this leaves a subscriber that exits the process a moment to do so.
 */
export const ALIVE_WAIT_MS = 1000;

export interface SignalDeps {
  kill?: Kill;
  onEvent?: (event: ReloadEvent) => void;
  sleep?: (ms: number) => Promise<void>;
}

function describe(instance: ApacheInstance): string {
  return `${instance.parent.comm} (pid ${instance.parent.pid})`;
}

/** Each planned instance's mod_wsgi, or the refusal (exit 5) that stands for it, read once per instance. */
function readVerdicts(
  plans: GroupPlan[],
  request: SignalRequest,
): Map<number, VersionVerdict | WsgictlError> {
  const verdicts = new Map<number, VersionVerdict | WsgictlError>();
  for (const { instance, group } of plans) {
    if (verdicts.has(instance.parent.pid)) continue;
    const target = { group, signal: request.signal, who: describe(instance) };
    try {
      const log = readStartLineVersion(instance);
      verdicts.set(instance.parent.pid, decideWsgiVersion(log, readModuleVersion(instance), target));
    } catch (error) {
      if (!(error instanceof WsgictlError)) throw error;
      verdicts.set(instance.parent.pid, error);
    }
  }
  return verdicts;
}

/**
 * The order of the refusals: a mod_wsgi that cannot pass the signal on is exit 2 whoever asks; then, as for
 * reload, a caller who may not signal is exit 4; only then an undecided version is exit 5.
 */
function assertSendable(plans: GroupPlan[], request: SignalRequest, kill: Kill): Map<number, VersionVerdict> {
  const verdicts = readVerdicts(plans, request);
  for (const plan of plans) {
    const verdict = verdicts.get(plan.instance.parent.pid);
    if (verdict && !(verdict instanceof WsgictlError))
      assertReachesApp(verdict, { group: plan.group, signal: request.signal, who: describe(plan.instance) });
  }
  assertAllowed(plans, kill, '');
  const proven = new Map<number, VersionVerdict>();
  for (const [pid, verdict] of verdicts) {
    if (verdict instanceof WsgictlError) throw verdict;
    proven.set(pid, verdict);
  }
  return proven;
}

/** Why a signalled process is no longer the one signalled after the wait, or null when it still is. */
async function findEnd(source: ProcessSource, plan: GroupPlan, target: ProcessInfo): Promise<string | null> {
  const change = await findChange(source, target, plan.instance, plan.group);
  if (change === 'regrouped') return `no longer identified as "${plan.group}" after the signal`;
  return change === null ? null : 'exited after the signal';
}

/** Signals every target of every plan, each re-checked just before; pid -> why it was skipped, or null. */
async function sendAll(
  source: ProcessSource,
  plans: GroupPlan[],
  signal: AppSignal,
  deps: SendDeps,
): Promise<Map<number, string | null>> {
  const skipped = new Map<number, string | null>();
  for (const plan of plans) {
    for (const target of plan.targets)
      skipped.set(target.pid, await signalOne(source, plan, target, signal, deps));
  }
  return skipped;
}

/** What became of each planned process; `skipped` is null for a dry run (nothing was sent). */
async function describeMembers(
  source: ProcessSource,
  plan: GroupPlan,
  skipped: Map<number, string | null> | null,
): Promise<SignalMember[]> {
  const members: SignalMember[] = [];
  for (const target of plan.targets) {
    const pid = target.pid;
    const reason = skipped?.get(pid);
    if (skipped === null) members.push({ pid, state: 'not-signalled' });
    else if (reason) members.push({ pid, state: 'skipped', reason });
    else {
      const end = await findEnd(source, plan, target);
      members.push(end ? { pid, state: 'ended', reason: end } : { pid, state: 'alive' });
    }
  }
  for (const skip of plan.skipped) members.push({ pid: skip.pid, state: 'skipped', reason: skip.reason });
  return members;
}

/**
 * Sends SIGHUP or SIGUSR2 to every process of a group, for its application (mod_wsgi 6.x hands them to
 * `mod_wsgi.subscribe_signals` without a restart). The processes are found, trusted and re-checked just
 * before each signal exactly as for a reload; the mod_wsgi version comes from what the module reports, and
 * below 6.0, where the signal would end the daemons, nothing is sent. After a short wait each process must
 * still be the same one: one that ended makes the group's outcome `ended`.
 */
export async function signalGroup(
  source: ProcessSource,
  request: SignalRequest,
  deps: SignalDeps = {},
): Promise<GroupSignalResult[]> {
  assertSignalPlatform(request.platform);
  const kill = deps.kill ?? defaultKill;
  const onEvent = deps.onEvent ?? (() => {});
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const asReload: ReloadRequest = {
    groups: [request.group],
    instance: request.instance,
    dryRun: request.dryRun,
    trustConfig: request.trustConfig,
  };
  // A reload under way replaces the very processes this would signal: wait for it, as a reload would.
  const turn = request.dryRun ? null : await takeTurns(source, asReload, DEFAULT_TIMEOUT_MS, onEvent);
  try {
    const plans = await discoverAndPlan(source, asReload);
    const verdicts = assertSendable(plans, request, kill);
    const skipped = request.dryRun ? null : await sendAll(source, plans, request.signal, { kill, onEvent });
    const waitedMs = skipped === null ? 0 : ALIVE_WAIT_MS;
    if (waitedMs > 0) await sleep(waitedMs);
    const results: GroupSignalResult[] = [];
    for (const plan of plans) {
      const members = await describeMembers(source, plan, skipped);
      const verdict = verdicts.get(plan.instance.parent.pid) as VersionVerdict;
      const ended = members.some((member) => member.state === 'ended');
      results.push({
        instance: plan.instance.parent.pid,
        group: plan.group,
        signal: request.signal,
        wsgiVersion: verdict.version,
        versionFrom: verdict.from,
        pids: plan.targets.map((target) => target.pid),
        outcome: skipped === null ? 'dry-run' : ended ? 'ended' : 'delivered',
        members,
        waitedMs,
      });
    }
    return results;
  } finally {
    turn?.release();
  }
}
