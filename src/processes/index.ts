import { totalmem } from 'node:os';
import { createLinuxSource } from './linux.js';
import { createPsListSource } from './ps-list.js';
import type { ProcessSource } from './types.js';

export type { ListOptions, ProcessInfo, ProcessSource, ProcessStub, ProcessTable } from './types.js';

/** The platform is chosen once, here: /proc on Linux, ps-list elsewhere. */
export function createProcessSource(platform: NodeJS.Platform = process.platform): ProcessSource {
  return platform === 'linux' ? createLinuxSource() : createPsListSource(undefined, totalmem());
}

export { selfAndAncestors } from './ancestors.js';
