import { totalmem } from 'node:os';
import { createLinuxSource } from './linux.js';
import { createMacosSource } from './macos.js';
import { createPsListSource } from './ps-list.js';
import type { ProcessSource } from './types.js';

export type { ListOptions, ProcessInfo, ProcessSource, ProcessStub, ProcessTable } from './types.js';

/**
 * The platform is chosen once, here: /proc on Linux, ps and lsof on macOS, ps-list (fastlist) on Windows.
 * Each source says its os, so the Apache layout read from it (groups/instance.ts) is the Platform's.
 */
export function createProcessSource(platform: NodeJS.Platform = process.platform): ProcessSource {
  if (platform === 'linux') return createLinuxSource();
  if (platform === 'darwin') return createMacosSource();
  return createPsListSource(undefined, totalmem(), platform);
}

export { selfAndAncestors } from './ancestors.js';
