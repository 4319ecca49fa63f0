import { totalmem } from 'node:os';
import { createLinuxSource } from './linux.js';
import { createPsListSource } from './ps-list.js';
import type { ProcessSource } from './types.js';

export type { ListOptions, ProcessInfo, ProcessSource, ProcessStub, ProcessTable } from './types.js';

/** The platform is chosen once, here: /proc on Linux, ps-list elsewhere. */
export function createProcessSource(platform: NodeJS.Platform = process.platform): ProcessSource {
  return platform === 'linux' ? createLinuxSource() : createPsListSource(undefined, totalmem());
}

/** The pids of this process and all its ancestors: never part of any group, never signalled. */
export function selfAndAncestors(stubs: Map<number, { ppid: number }>, self = process.pid): Set<number> {
  const chain = new Set<number>();
  let pid: number | undefined = self;
  while (pid !== undefined && pid > 0 && !chain.has(pid)) {
    chain.add(pid);
    pid = stubs.get(pid)?.ppid;
  }
  return chain;
}
