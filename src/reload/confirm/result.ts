import type { GroupPlan } from '../plan.js';
import type { GroupReloadResult, MemberReport, MemberState } from '../types.js';
import type { WaitResult } from './wait.js';

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
    members: plan.targets.map((target) => ({ pid: target.pid, state: 'not-signalled' })),
  };
}

/** What is known about a group's planned processes when its reload ends. */
export interface MemberFacts {
  /** The planned pids, in plan order. */
  targets: number[];
  signalled: ReadonlySet<number>;
  /** pid -> why it was left alone after all (re-checked just before its signal). */
  skipped: ReadonlyMap<number, string>;
  /** old -> new where a rolling step saw whose replacement came up. */
  paired: ReadonlyMap<number, number>;
  /** Every new member of the group at the end. */
  newPids: number[];
  /** Replacements that came up and ended in order during the wait (churn): they replaced a process too. */
  endedInOrder?: number;
  /** Signalled pids still running as the same process (same start time) at the end. */
  running: ReadonlySet<number>;
  /** False with --no-wait: nothing is known beyond the signal. */
  waited: boolean;
}

/**
 * One report per planned process. Only a proven pair (see proveReplacement) names its new pid: outside one,
 * nothing says which new pid stands in for which old one, so as many processes as there are new pids not
 * paired are `replaced` with no `newPid` (the result's newPids are the set); one that still runs is
 * draining, never "missing".
 */
export function describeMembers(facts: MemberFacts): MemberReport[] {
  const pairedNew = new Set(facts.paired.values());
  let unpaired = facts.newPids.filter((pid) => !pairedNew.has(pid)).length + (facts.endedInOrder ?? 0);
  return facts.targets.map((pid): MemberReport => {
    const reason = facts.skipped.get(pid);
    if (reason !== undefined) return { pid, state: 'skipped', reason };
    if (!facts.signalled.has(pid)) return { pid, state: 'not-signalled' };
    if (!facts.waited) return { pid, state: 'signalled' };
    const known = facts.paired.get(pid);
    if (known !== undefined) return { pid, state: 'replaced', newPid: known };
    if (facts.running.has(pid)) return { pid, state: 'draining' };
    if (unpaired === 0) return { pid, state: 'missing' };
    unpaired -= 1;
    return { pid, state: 'replaced' };
  });
}

const STATE_LABELS: [MemberState, string][] = [
  ['replaced', 'replaced'],
  ['killed', 'killed'],
  ['draining', 'still draining'],
  ['still-running', 'did not exit'],
  ['missing', 'missing'],
  ['not-signalled', 'not signalled'],
  ['signalled', 'signalled'],
  ['skipped', 'skipped'],
];

/** "3 replaced, 1 still draining, 11 not signalled": how many processes ended in each state. */
export function summarizeMembers(members: MemberReport[]): string {
  return STATE_LABELS.map(
    ([state, label]) => [members.filter((m) => m.state === state).length, label] as const,
  )
    .filter(([count]) => count > 0)
    .map(([count, label]) => `${count} ${label}`)
    .join(', ');
}

/** The result once waiting for replacements ended, in success or at the deadline. */
export function settledResult(
  result: GroupReloadResult,
  wait: WaitResult,
  startedMs: number,
  members: MemberReport[],
): GroupReloadResult {
  const unreplaced = members.filter((m) => ['missing', 'draining', 'still-running'].includes(m.state)).length;
  const ended = wait.ended ?? [];
  const crashed = ended.filter((end) => end.kind === 'crash');
  const crashLoop = {
    restarts: crashed.length,
    pids: crashed.map((end) => end.pid),
    evidence: crashed.map((end) => end.line ?? ''),
  };
  return {
    ...result,
    newPids: wait.newPids,
    ms: Date.now() - startedMs,
    outcome: wait.done
      ? 'replaced'
      : wait.startFailed
        ? 'start-failed'
        : wait.crashLoop
          ? 'crash-loop'
          : 'timeout',
    ...(wait.crashLoop ? { crashLoop } : {}),
    ...(wait.startFailed ? { startFailed: wait.startFailed } : {}),
    ...(ended.length > 0 ? { replacementsEnded: ended } : {}),
    // A timeout with every signalled process replaced still lacks a member: the replacement of one that
    // exited on its own before its signal.
    missing: wait.done ? 0 : Math.max(1, unreplaced),
    members,
  };
}
