import { type ApacheInstance, discoverInstances } from '../apache/discover.js';
import { WsgictlError } from '../errors.js';
import type { ProcessSource } from '../processes/types.js';
import { POLL_MS } from './confirm.js';
import { type GroupPlan, planReload } from './plan.js';
import type { ReloadRequest } from './types.js';

/** How long a reload waits for just-forked daemons to show which group they are. */
export const SETTLE_MS = 2000;

/**
 * A daemon the parent has just forked holds every listener of its parent until mod_wsgi closes the other
 * groups' ones, and shows Apache's own argv[0]: for that moment it is a daemon of no group.
 */
function hasUnsettledDaemons(instances: ApacheInstance[]): boolean {
  return instances.some((instance) =>
    instance.children.some((m) => m.role === 'daemon' && m.group === null && m.candidates.length === 0),
  );
}

/**
 * Finds the instances and plans the reload. A group with no identified process while some daemon is still
 * settling is looked for again, briefly, rather than reported as not running.
 */
export async function discoverAndPlan(
  source: ProcessSource,
  request: ReloadRequest,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<GroupPlan[]> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const instances = await discoverInstances(source, { instance: request.instance });
    if (request.instance !== undefined && instances.length === 0) {
      throw new WsgictlError(
        'NO_PROCESSES',
        `no Apache parent with pid ${request.instance}: check \`wsgictl ps\``,
      );
    }
    try {
      return planReload(instances, request.groups, {
        all: request.all === true,
        trustConfig: request.trustConfig === true,
      });
    } catch (error) {
      const settling =
        error instanceof WsgictlError && error.code === 'NO_PROCESSES' && hasUnsettledDaemons(instances);
      if (!settling || Date.now() >= deadline) throw error;
      await sleep(POLL_MS);
    }
  }
}
