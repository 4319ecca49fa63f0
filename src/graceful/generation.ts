import type { DaemonGroupConfig } from '../apache/config/model.js';
import type { InstanceContext } from '../groups/identify.js';
import { identifyChildren } from '../groups/instance.js';
import { type Listener, readListeners } from '../groups/listeners.js';
import { isApacheComm } from '../processes/apache-names.js';
import type { ProcessInfo, ProcessSource } from '../processes/types.js';
import { CRASH_LOOP_DEATHS } from '../reload/confirm/deaths.js';
import { POLL_MS } from '../reload/confirm/wait.js';

/** One group of the new configuration, as the wait for the new generation last saw it. */
export interface GroupWatch {
  group: string;
  /** processes= of the new configuration. */
  processes: number;
  /** Its new daemons up now (identified by their listener socket, threads started). */
  upPids: number[];
  /** Every new daemon seen for it, up or not (for the error-log lines of a group that failed). */
  seenPids: number[];
  /** New daemons seen and then gone: a group whose daemons keep dying is failed without waiting longer. */
  deaths: number[];
  /** Milliseconds from the signal until it had all its daemons up (and they stayed up); null until then. */
  upAfterMs: number | null;
  /** Since when (ms after the signal) the current set of daemons has been up, not yet proven stable. */
  upSince: number | null;
  /** A line at crit or worse that one of its new daemons wrote (6.x: `Python initialisation failed`). */
  fatal: string | null;
}

export interface GenerationWatch {
  /** The parent's new listener sockets were seen (one per group of the new configuration). */
  bound: boolean;
  /** The generation number in their names (null with `WSGISocketRotation Off`, or before they are bound). */
  generation: number | null;
  groups: GroupWatch[];
  /** Daemons of the old generation still running at the end. */
  oldDaemonsLeft: number[];
  /** Why the wait ended before every group was up: the parent exited, its fds closed to us, the timeout. */
  failure: string | null;
  ms: number;
}

export interface GenerationGoal {
  source: ProcessSource;
  /** The Apache parent as it was before the signal. */
  parent: ProcessInfo;
  /** Inodes of the listener sockets it held before the signal: the new generation's are all others. */
  oldInodes: ReadonlySet<string>;
  /** Its children before the signal (pid -> start key); none of them counts as a new daemon. */
  oldChildren: ReadonlyMap<number, string>;
  /** Those of them that were daemons. */
  oldDaemons: number[];
  /** The groups of the configuration Apache reads now. */
  groups: DaemonGroupConfig[];
  /** When the signal was sent (ms since the epoch, from `now`). */
  signalledAt: number;
  deadline: number;
  /**
   * What the group's error log says since the signal about its new daemons `pids`: those that died, and the
   * first line at crit or worse that one of them wrote (see log-deaths.ts).
   */
  inspectLog?: (group: string, pids: number[]) => { deaths: number[]; fatal: string | null };
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** How often the error log is read again for deaths: each read parses what was written since the signal. */
const LOG_POLL_MS = 250;

/**
 * How long a group's daemons must stay up, with its log read after that, before it counts as up: on 6.x a
 * daemon whose Python cannot start (a python-home that does not exist) starts its threads, logs a crit line
 * within some 20 ms, and crashes about a second later.
 */
export const STABLE_MS = 300;

/** The parent's listeners that did not exist before the signal, or null when its fds cannot be read. */
async function readNewListeners(goal: GenerationGoal, parent: ProcessInfo): Promise<Listener[] | null> {
  const listeners = await readListeners(goal.source, parent);
  if (listeners === null) return null;
  return listeners.filter((listener) => !goal.oldInodes.has(listener.inode));
}

function isNew(goal: GenerationGoal, process: ProcessInfo): boolean {
  return goal.oldChildren.get(process.pid) !== process.startKey;
}

/** Counts every group's new daemons once: by the new listener socket each holds, with its threads started. */
async function observe(
  goal: GenerationGoal,
  context: InstanceContext,
  watches: GroupWatch[],
  elapsedMs: number,
): Promise<number[]> {
  const table = await goal.source.list({ detail: (stub) => isApacheComm(stub.comm) });
  const children = await identifyChildren(goal.source, context, table.processes);
  const running = new Set(children.map((member) => member.process.pid));
  for (const watch of watches) {
    const members = children.filter(
      (m) => m.role === 'daemon' && m.via === 'socket' && m.group === watch.group && isNew(goal, m.process),
    );
    for (const pid of watch.seenPids) {
      if (!running.has(pid) && !watch.deaths.includes(pid)) watch.deaths.push(pid);
    }
    for (const member of members) {
      if (!watch.seenPids.includes(member.process.pid)) watch.seenPids.push(member.process.pid);
    }
    // One thread: mod_wsgi has not yet started the daemon's request threads (it is still preloading).
    const up = members.filter((m) => m.process.threads === undefined || m.process.threads > 1);
    const same = up.length === watch.upPids.length && up.every((m) => watch.upPids.includes(m.process.pid));
    watch.upPids = up.map((m) => m.process.pid);
    if (up.length < watch.processes) watch.upSince = null;
    else if (watch.upSince === null || !same) watch.upSince = elapsedMs;
  }
  return goal.oldDaemons.filter((pid) => running.has(pid));
}

/** True once a group is up, has seen its new daemons die often enough to be a crash loop, or wrote a fatal line. */
function isSettled(watch: GroupWatch): boolean {
  return watch.upAfterMs !== null || watch.deaths.length >= CRASH_LOOP_DEATHS || watch.fatal !== null;
}

/** Reads the log for every group not settled; a group up for STABLE_MS with no fatal line is then up. */
function readLog(goal: GenerationGoal, watches: GroupWatch[], elapsedMs: number): void {
  for (const watch of watches) {
    if (isSettled(watch)) continue;
    const logged = goal.inspectLog?.(watch.group, watch.seenPids) ?? { deaths: [], fatal: null };
    for (const pid of logged.deaths) {
      if (!watch.deaths.includes(pid)) watch.deaths.push(pid);
      if (!watch.seenPids.includes(pid)) watch.seenPids.push(pid);
    }
    watch.fatal = logged.fatal;
    if (watch.fatal === null && watch.upSince !== null && elapsedMs - watch.upSince >= STABLE_MS) {
      watch.upAfterMs = watch.upSince;
    }
  }
}

/**
 * After SIGUSR1 to the parent: waits until it holds a new listener socket for every group of the new
 * configuration and every group has processes= new daemons up, identified by those sockets. Bounded by the
 * deadline; a group whose new daemons keep dying ends its own wait early.
 */
export async function waitForGeneration(goal: GenerationGoal): Promise<GenerationWatch> {
  const now = goal.now ?? Date.now;
  const sleep = goal.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const watches: GroupWatch[] = goal.groups.map((group) => ({
    group: group.name,
    processes: group.processes,
    upPids: [],
    seenPids: [],
    deaths: [],
    upAfterMs: null,
    upSince: null,
    fatal: null,
  }));
  const result: GenerationWatch = {
    bound: false,
    generation: null,
    groups: watches,
    oldDaemonsLeft: [...goal.oldDaemons],
    failure: null,
    ms: 0,
  };
  let loggedAt = 0;
  for (;;) {
    result.ms = now() - goal.signalledAt;
    const parent = await goal.source.read(goal.parent.pid);
    if (!parent || parent.startKey !== goal.parent.startKey) {
      result.failure = `Apache pid ${goal.parent.pid} exited during the graceful restart: see its error log`;
      return result;
    }
    const fresh = await readNewListeners(goal, parent);
    if (fresh === null) {
      result.failure = `the listener sockets of Apache pid ${goal.parent.pid} cannot be read: run with sudo`;
      return result;
    }
    result.bound = fresh.length >= goal.groups.length && (goal.groups.length > 0 || fresh.length === 0);
    if (result.bound) {
      result.generation = fresh[0]?.generation ?? null;
      const context: InstanceContext = {
        parentPid: parent.pid,
        argv0Length: (parent.argv[0] ?? '').length,
        groups: goal.groups,
        listeners: new Map(fresh.map((listener) => [listener.inode, listener])),
      };
      result.oldDaemonsLeft = await observe(goal, context, watches, result.ms);
      // Read when due, and at once when a group has been up long enough to be proven.
      const proving = watches.some(
        (watch) => !isSettled(watch) && watch.upSince !== null && result.ms - watch.upSince >= STABLE_MS,
      );
      if (proving || now() - loggedAt >= LOG_POLL_MS) {
        loggedAt = now();
        readLog(goal, watches, result.ms);
      }
      if (watches.every(isSettled)) return result;
    }
    if (now() >= goal.deadline) {
      result.failure = result.bound
        ? null
        : `Apache pid ${goal.parent.pid} bound no new listener socket for every group within the timeout`;
      return result;
    }
    await sleep(POLL_MS);
  }
}
