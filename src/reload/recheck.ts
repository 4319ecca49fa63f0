import { type ApacheInstance, identifyProcess } from '../groups/instance.js';
import type { ProcessInfo, ProcessSource } from '../processes/types.js';

/**
 * How what runs under a planned target's pid now differs from it: `exited`, `reused` (another process: a
 * different start time or parent), `regrouped` (no longer identified as the group's), or null when it is
 * still the same process of the group.
 */
export async function findChange(
  source: ProcessSource,
  target: ProcessInfo,
  instance: ApacheInstance,
  group: string,
): Promise<'exited' | 'reused' | 'regrouped' | null> {
  const now = await source.read(target.pid);
  if (!now) return 'exited';
  if (now.startKey !== target.startKey || now.ppid !== target.ppid) return 'reused';
  const member = await identifyProcess(source, instance.context, now);
  return member.group === group ? null : 'regrouped';
}

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
  const change = await findChange(source, target, instance, group);
  if (change === 'exited') return 'exited before it was signalled';
  if (change === 'reused') return 'pid was reused by another process';
  return change === 'regrouped' ? `no longer identified as "${group}"` : null;
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
