import { WsgictlError } from '../errors.js';
import type { Member } from '../groups/identify.js';
import type { ApacheInstance } from '../groups/instance.js';
import { heldIds } from '../groups/listeners.js';
import type { ProcessSource } from '../processes/types.js';
import { POLL_MS } from '../reload/confirm/wait.js';
import type { Kill } from '../reload/recheck.js';

/** One group's drain: its daemons of the running generation, SIGUSR1'd together, and how long they took. */
export interface DrainReport {
  /** The group as identified before the restart (by its listener socket). */
  group: string;
  socketId: number;
  pids: number[];
  /** Skipped because they were no longer the process planned (exited, pid reused). */
  skipped: number[];
  /** Still running at the deadline: Apache's own restart kills them 3 s after its signal. */
  left: number[];
  ms: number;
}

export interface DrainGoal {
  source: ProcessSource;
  instance: ApacheInstance;
  kill: Kill;
  deadline: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Called as each group's daemons are signalled, so that a long drain is not silent. */
  onGroup?: (group: string, pids: number[]) => void;
}

/** The running daemons by the one listener socket each holds (proof that they are this parent's), in id order. */
export function groupBySocket(instance: ApacheInstance): Map<number, Member[]> {
  const byId = new Map<number, Member[]>();
  for (const member of instance.children) {
    const ids = member.socketIds;
    if (member.role !== 'daemon' || ids?.length !== 1) continue;
    const id = ids[0] as number;
    byId.set(id, [...(byId.get(id) ?? []), member]);
  }
  return new Map([...byId].sort((a, b) => a[0] - b[0]));
}

/** True while `member` still runs as the same process and still holds its group's listener. */
async function isStill(source: ProcessSource, instance: ApacheInstance, member: Member, id: number) {
  const now = await source.read(member.process.pid);
  if (!now || now.startKey !== member.process.startKey || now.ppid !== member.process.ppid) return false;
  if (!instance.context.listeners) return false;
  const ids = heldIds(await source.socketInodes(now.pid), instance.context.listeners);
  return ids?.length === 1 && ids[0] === id;
}

/**
 * --drain: before Apache's restart, SIGUSR1 each group's daemons, one group at a time, and wait until they
 * have exited: each finishes its requests in flight under mod_wsgi's graceful-timeout, and the parent starts
 * replacements that take the new requests. A daemon is signalled only while it still holds the parent's
 * listener socket of its group (its start time and parent unchanged).
 */
export async function drainGroups(goal: DrainGoal): Promise<DrainReport[]> {
  const now = goal.now ?? Date.now;
  const sleep = goal.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const reports: DrainReport[] = [];
  for (const [id, members] of groupBySocket(goal.instance)) {
    const started = now();
    const group = members[0]?.group ?? `socket id ${id}`;
    const report: DrainReport = { group, socketId: id, pids: [], skipped: [], left: [], ms: 0 };
    const signalled: Member[] = [];
    for (const member of members) {
      if (!(await isStill(goal.source, goal.instance, member, id))) {
        report.skipped.push(member.process.pid);
        continue;
      }
      try {
        goal.kill(member.process.pid, 'SIGUSR1');
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ESRCH') {
          report.skipped.push(member.process.pid);
          continue;
        }
        throw new WsgictlError(
          code === 'EPERM' ? 'PERMISSION' : 'FAILED',
          `--drain: signalling pid ${member.process.pid} failed (${code ?? String(error)}); Apache was not restarted: run with sudo`,
          { cause: error },
        );
      }
      signalled.push(member);
      report.pids.push(member.process.pid);
    }
    goal.onGroup?.(group, report.pids);
    let pending = signalled;
    while (pending.length > 0 && now() < goal.deadline) {
      await sleep(POLL_MS);
      const still: Member[] = [];
      for (const member of pending) {
        const running = await goal.source.read(member.process.pid);
        if (running && running.startKey === member.process.startKey) still.push(member);
      }
      pending = still;
    }
    report.left = pending.map((member) => member.process.pid);
    report.ms = now() - started;
    reports.push(report);
  }
  return reports;
}
