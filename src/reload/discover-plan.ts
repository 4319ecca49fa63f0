import { WsgictlError } from '../errors.js';
import { discoverInstances } from '../groups/discover.js';
import type { ApacheInstance } from '../groups/instance.js';
import type { ProcessSource } from '../processes/types.js';
import { POLL_MS } from './confirm/wait.js';
import { type GroupPlan, hasGroupListener, planReload } from './plan.js';
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

/** How often a group between generations is looked for again: each look is a whole discovery. */
export const RESTART_POLL_MS = 100;

/**
 * The named groups with no daemon anywhere whose listener the parent holds: configured, and between two
 * generations of daemons (churn such as maximum-requests, or a reload that just ended). All of the missing
 * groups must be so; a group without a listener is reported at once.
 */
function isBetweenGenerations(instances: ApacheInstance[], groups: string[]): boolean {
  const missing = groups.filter(
    (group) => !instances.some((i) => i.children.some((m) => m.role === 'daemon' && m.group === group)),
  );
  return missing.length > 0 && missing.every((group) => instances.some((i) => hasGroupListener(i, group)));
}

/**
 * Whether every contradiction that refused the reload may be a daemon in passing: under churn a daemon
 * closes its listener as it stops (it then shows its display-name with no listener), and a just-forked one
 * holds its listener before mod_wsgi writes its display-name (it then shows Apache's own argv[0]) and runs
 * as its parent's user until it switches to the group's. Returns the pids of those daemons, or null when any
 * doubt is of another kind (a configuration changed since Apache read it) or is no such look.
 */
function findInPassing(instances: ApacheInstance[]): number[] | null {
  const doubts = instances.flatMap((instance) => instance.doubts);
  if (doubts.length === 0 || doubts.some((doubt) => doubt.kind !== 'contradiction')) return null;
  const pids: number[] = [];
  const all = instances.every((instance) =>
    instance.doubts
      .filter((doubt) => doubt.kind === 'contradiction')
      .every((doubt) => {
        const stopping = /^pid (\d+) shows "[^"]*" but holds no listener socket/.exec(doubt.reason);
        const starting = /^pid (\d+) holds the listener socket of "[^"]*" but shows "([^"]*)"$/.exec(
          doubt.reason,
        );
        const forked = /^pid (\d+) of "[^"]*" runs as /.exec(doubt.reason);
        const pid = Number((stopping ?? starting ?? forked)?.[1]);
        const member = instance.children.find((m) => m.process.pid === pid);
        if (!member) return false;
        pids.push(pid);
        if (stopping) return member.socketIds?.length === 0;
        // Still its parent's user: forked, not yet switched to the group's user.
        if (forked) return member.process.uid === instance.parent.uid;
        return starting?.[2] === (instance.parent.argv[0] ?? '').trimEnd();
      }),
  );
  return all ? pids : null;
}

/**
 * Under churn (maximum-requests) every look may catch some daemon in passing, a different one each time: what
 * refuses is one process that keeps such a look for SETTLE_MS (a daemon of another Apache, a mis-ordered
 * configuration), or a doubt of another kind. Returns whether to look again.
 */
export function createPassingWatch(now: () => number = Date.now) {
  const firstSeen = new Map<number, number>();
  return (instances: ApacheInstance[]): boolean => {
    const pids = findInPassing(instances);
    if (pids === null) return false;
    const at = now();
    for (const pid of firstSeen.keys()) if (!pids.includes(pid)) firstSeen.delete(pid);
    for (const pid of pids) if (!firstSeen.has(pid)) firstSeen.set(pid, at);
    return [...firstSeen.values()].every((since) => at - since < SETTLE_MS);
  };
}

/** A skip found at planning time, re-read: a process that is gone or was replaced says so, not its old name. */
async function recheckSkips(source: ProcessSource, plans: GroupPlan[]): Promise<GroupPlan[]> {
  for (const plan of plans) {
    for (const skip of plan.skipped) {
      const was = plan.instance.children.find((member) => member.process.pid === skip.pid)?.process;
      const now = await source.read(skip.pid);
      if (!now) skip.reason = 'exited before it was signalled';
      else if (was && now.startKey !== was.startKey) skip.reason = 'pid was reused by another process';
    }
  }
  return plans;
}

/**
 * Finds the instances and plans the reload. A group with no identified process while some daemon is still
 * settling is looked for again, briefly, rather than reported as not running; one whose daemons are all
 * between two generations (its listener exists) is waited for up to the reload's timeout, and reloaded as
 * soon as a member is up.
 */
export async function discoverAndPlan(
  source: ProcessSource,
  request: ReloadRequest,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<GroupPlan[]> {
  const started = Date.now();
  const deadline = started + SETTLE_MS;
  const restartDeadline = started + (request.timeoutMs ?? SETTLE_MS);
  const inPassing = createPassingWatch();
  for (;;) {
    const instances = await discoverInstances(source, { instance: request.instance });
    if (request.instance !== undefined && instances.length === 0) {
      throw new WsgictlError(
        'NO_PROCESSES',
        `no Apache parent with pid ${request.instance}: check \`wsgictl ps\``,
      );
    }
    let plans: GroupPlan[];
    try {
      plans = planReload(instances, request.groups, {
        all: request.all === true,
        trustConfig: request.trustConfig === true,
      });
    } catch (error) {
      const missing = error instanceof WsgictlError && error.code === 'NO_PROCESSES';
      if (missing && hasUnsettledDaemons(instances) && Date.now() < deadline) {
        await sleep(POLL_MS);
        continue;
      }
      const refused = error instanceof WsgictlError && error.code === 'REFUSED';
      // Bounded by the reload's own timeout: under churn the daemons in passing differ from look to look.
      if (refused && Date.now() < restartDeadline && inPassing(instances)) {
        await sleep(POLL_MS);
        continue;
      }
      if (missing && isBetweenGenerations(instances, request.groups) && Date.now() < restartDeadline) {
        await sleep(RESTART_POLL_MS);
        continue;
      }
      throw error;
    }
    return recheckSkips(source, plans);
  }
}
