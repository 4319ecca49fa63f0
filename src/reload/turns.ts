import { discoverInstances } from '../groups/discover.js';
import type { ProcessSource } from '../processes/types.js';
import { acquireLock, type HeldLock, lockName } from './lock.js';
import type { ReloadEvent, ReloadRequest } from './types.js';

/** The locks of every instance a reload may touch, taken in parent-pid order so that two reloads never deadlock. */
export interface Turn {
  /** Apache parent pid -> how long its lock was waited for, and for whom; absent when it was free. */
  waited: Map<number, { pid: number | null; ms: number }>;
  release(): void;
}

/**
 * Waits for this reload's turn at each Apache instance that configures one of the groups (every instance with
 * --all). It runs before planning: a reload under way leaves its group between generations, and only the
 * processes as they are after it ends may be planned.
 */
export async function takeTurns(
  source: ProcessSource,
  request: ReloadRequest,
  timeoutMs: number,
  onEvent: (event: ReloadEvent) => void,
): Promise<Turn> {
  const instances = await discoverInstances(source, { instance: request.instance });
  const touched = instances
    .filter(
      (instance) =>
        request.all === true || instance.config.groups.some((group) => request.groups.includes(group.name)),
    )
    .sort((a, b) => a.parent.pid - b.parent.pid);
  const held: HeldLock[] = [];
  const waited: Turn['waited'] = new Map();
  const release = () => {
    for (const lock of held.splice(0)) lock.release();
  };
  const started = Date.now();
  try {
    for (const instance of touched) {
      const pid = instance.parent.pid;
      const lock = await acquireLock(lockName(pid, instance.parent.startKey), {
        instance: pid,
        // One --timeout bounds the whole wait, however many instances there are.
        timeoutMs: Math.max(1, timeoutMs - (Date.now() - started)),
        onWait: (holder) => onEvent({ type: 'waiting', instance: pid, holder }),
      });
      held.push(lock);
      if (lock.waited) waited.set(pid, { pid: lock.waited.pid, ms: lock.waited.ms });
    }
  } catch (error) {
    release();
    throw error;
  }
  return { waited, release };
}
