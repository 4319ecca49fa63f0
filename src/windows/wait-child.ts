import { type Clock, systemClock } from '../clock.js';
import { isApacheComm } from '../processes/apache-names.js';
import type { ProcessInfo } from '../processes/types.js';

export const CONFIRM_POLL_MS = 250;

export type ListProcesses = () => Promise<ProcessInfo[]>;

export interface Confirmation {
  /** The new httpd.exe child, or null when none appeared before the timeout. */
  newChild: ProcessInfo | null;
  ms: number;
}

/**
 * Waits for Apache's new child: an httpd.exe whose parent is an httpd.exe and whose pid was not there
 * before. After the event or `-k restart` the parent stays (pass `parentPid`, so another Apache's new child
 * does not count); after a service stop/start the parent is new too (leave it out).
 */
export async function waitForNewChild(
  list: ListProcesses,
  before: Set<number>,
  timeoutMs: number,
  clock: Clock = systemClock,
  parentPid?: number,
  pollMs = CONFIRM_POLL_MS,
): Promise<Confirmation> {
  const started = clock.now();
  for (;;) {
    const processes = await list();
    const byPid = new Map(processes.map((info) => [info.pid, info]));
    const fresh = processes.find(
      (info) =>
        isApacheComm(info.comm) &&
        !before.has(info.pid) &&
        (parentPid === undefined ? isApacheComm(byPid.get(info.ppid)?.comm ?? '') : info.ppid === parentPid),
    );
    const ms = clock.now() - started;
    if (fresh) return { newChild: fresh, ms };
    if (ms >= timeoutMs) return { newChild: null, ms };
    await clock.sleep(Math.min(pollMs, timeoutMs - ms));
  }
}
