import { type ApacheInstance, identifyProcess } from '../groups/instance.js';
import type { ProcessInfo, ProcessSource } from '../processes/types.js';

/**
 * Re-reads a planned target just before it is signalled. Returns null when it is still the same process
 * (same pid, same start time, same parent, same group), or why it is not.
 */
export async function checkStillTarget(
  source: ProcessSource,
  target: ProcessInfo,
  instance: ApacheInstance,
  group: string,
): Promise<string | null> {
  const now = await source.read(target.pid);
  if (!now) return 'exited before it was signalled';
  if (now.startKey !== target.startKey || now.ppid !== target.ppid)
    return 'pid was reused by another process';
  const member = await identifyProcess(source, instance.context, now);
  return member.group === group ? null : `no longer identified as "${group}"`;
}

export type Kill = (pid: number, signal: NodeJS.Signals | 0) => void;

export const defaultKill: Kill = (pid, signal) => {
  process.kill(pid, signal);
};

/** The pids among targets that this caller may not signal (kill with signal 0 answers EPERM). */
export function findRefused(targets: ProcessInfo[], kill: Kill = defaultKill): ProcessInfo[] {
  return targets.filter((target) => {
    try {
      kill(target.pid, 0);
      return false;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  });
}
