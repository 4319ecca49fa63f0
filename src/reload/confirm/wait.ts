import type { LogLine } from '../../errorlog/parse.js';
import type { InstanceContext } from '../../groups/identify.js';
import { identifyChildren } from '../../groups/instance.js';
import { isApacheComm } from '../../processes/apache-names.js';
import type { ProcessInfo, ProcessSource } from '../../processes/types.js';
import { CRASH_LOOP_DEATHS, createDeathTracker } from './deaths.js';
import { classifyEnds, type EndEvidence } from './evidence.js';
import { findStartupFailures, type StartupFailure } from './startup.js';

export const POLL_MS = 50;

export interface GroupSnapshot {
  /** Members now, pid -> start key. */
  members: Map<number, string>;
  /**
   * The members that have finished starting: mod_wsgi starts a daemon's threads only after it has preloaded
   * its scripts, so one thread means it is still importing. Null where the platform does not count threads.
   */
  started: Set<number> | null;
}

/**
 * The group's members in one instance right now. The instance's configuration was read when the reload was
 * planned; each poll only lists Apache's processes again and identifies the parent's children.
 */
export async function readGroup(
  source: ProcessSource,
  context: InstanceContext,
  group: string,
): Promise<GroupSnapshot> {
  const table = await source.list({ detail: (stub) => isApacheComm(stub.comm) });
  const children = await identifyChildren(source, context, table.processes);
  const members = new Map<number, string>();
  let started: Set<number> | null = new Set();
  for (const member of children) {
    if (member.role !== 'daemon' || member.group !== group) continue;
    members.set(member.process.pid, member.process.startKey);
    const threads = member.process.threads;
    if (threads === undefined) started = null;
    else if (threads > 1) started?.add(member.process.pid);
  }
  return { members, started };
}

export interface WaitGoal {
  source: ProcessSource;
  /** The instance as planned: its parent pid, argv[0] length and configured groups. */
  context: InstanceContext;
  group: string;
  /** Every member before the reload started. */
  before: ProcessInfo[];
  /** The processes signalled so far, which must all be gone. */
  signalled: ProcessInfo[];
  /** How many new members must be up. */
  replacements: number;
  deadline: number;
  /**
   * The group's error-log lines since the reload started, which tell how a replacement that died ended.
   * Without it (no readable log) no death is taken for a crash.
   */
  readEvidence?: () => LogLine[];
  sleep?: (ms: number) => Promise<void>;
}

/** A replacement that came up and ended during the wait, and what the log says about how (if it says). */
export interface EndedReplacement {
  pid: number;
  /** `unknown`: the log says nothing (yet), as at LogLevel warn after an orderly end. */
  kind: EndEvidence['kind'] | 'unknown';
  why?: string;
  line?: string;
}

export interface WaitResult {
  done: boolean;
  newPids: number[];
  /** Replacements that came up and died during the wait, crashed or not. */
  died?: number[];
  /** The same, each with how it ended. */
  ended?: EndedReplacement[];
  /** The wait stopped early: replacements keep dying abnormally (by the log's evidence) and being re-created. */
  crashLoop?: boolean;
  /**
   * The wait stopped early: replacements said they could not be set up (mod_wsgi then sleeps 20 s before
   * they exit, so they look up until then).
   */
  startFailed?: StartupFailure[];
  /** The group's members at the last poll, pid -> start key. */
  members?: Map<number, string>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isNew(pid: number, startKey: string, before: ProcessInfo[]): boolean {
  return !before.some((old) => old.pid === pid && old.startKey === startKey);
}

/** How each death ended, by the log (read only when some replacement died). */
function explainDeaths(died: number[], goal: WaitGoal): EndedReplacement[] {
  if (died.length === 0) return [];
  const found = goal.readEvidence ? classifyEnds(goal.readEvidence(), goal.group, died) : new Map();
  return died.map((pid) => {
    const evidence = found.get(pid);
    return evidence ? { pid, ...evidence } : { pid, kind: 'unknown' };
  });
}

/**
 * Polls until every signalled process has exited and the group has at least `replacements` members that
 * were not there before (and as many members as before), the same ones on two polls in a row; or until
 * replacements have died abnormally CRASH_LOOP_DEATHS times (a crash loop); or until the deadline passes.
 * A replacement that ended in an orderly way (mod_wsgi's maximum-requests, another process's signal) did
 * come up: it counts as a replacement, and a group that churns so is not asked to hold still.
 */
export async function waitForReplacements(goal: WaitGoal): Promise<WaitResult> {
  const sleep = goal.sleep ?? defaultSleep;
  const deaths = createDeathTracker(async (pid, key) => (await goal.source.read(pid))?.startKey === key);
  let complete = '';
  for (;;) {
    const { members, started } = await readGroup(goal.source, goal.context, goal.group);
    const fresh = new Map([...members].filter(([pid, key]) => isNew(pid, key, goal.before)));
    const newPids = [...fresh.keys()].sort((a, b) => a - b);
    await deaths.observe(fresh);
    const ended = explainDeaths(deaths.listDeaths(), goal);
    const crashLoop = ended.filter((end) => end.kind === 'crash').length >= CRASH_LOOP_DEATHS;
    const churned = ended.filter((end) => end.kind === 'churn').length;
    const stillThere = goal.signalled.some((old) => members.get(old.pid) === old.startKey);
    // A replacement is up once it has started its threads (after its preloaded imports), where the platform
    // tells; a daemon that dies as it starts (a preloaded import that segfaults) never gets there.
    const up = started ? newPids.filter((pid) => started.has(pid)) : newPids;
    const whole =
      !stillThere &&
      up.length + churned >= goal.replacements &&
      (members.size >= goal.before.length || churned > 0);
    // Without thread counts, seen whole twice, a poll apart. A group whose replacements end in order never
    // holds still.
    const done = whole && (started !== null || complete === newPids.join(' ') || churned > 0);
    complete = whole ? newPids.join(' ') : '';
    // Read as soon as they are written: such a daemon would otherwise hold the wait for its 20 s.
    const failed =
      done || !goal.readEvidence
        ? []
        : findStartupFailures(goal.readEvidence(), [...newPids, ...deaths.listDeaths()]);
    if (failed.length > 0)
      return { done: false, newPids, died: deaths.listDeaths(), ended, startFailed: failed, members };
    if (done || crashLoop || Date.now() >= goal.deadline)
      return { done, newPids, died: deaths.listDeaths(), ended, crashLoop: crashLoop && !done, members };
    await sleep(POLL_MS);
  }
}

/**
 * The pids among `signalled` still running as the same process (same pid, same start time): a daemon that
 * is finishing its requests after SIGUSR1 (or within shutdown-timeout after SIGINT) at the deadline, even
 * once it is no longer counted as the group's.
 */
export async function findStillRunning(
  source: ProcessSource,
  signalled: ProcessInfo[],
): Promise<Set<number>> {
  const running = new Set<number>();
  for (const old of signalled) {
    const now = await source.read(old.pid);
    if (now && now.startKey === old.startKey) running.add(old.pid);
  }
  return running;
}
