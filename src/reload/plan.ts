import { WsgictlError } from '../errors.js';
import { formatList } from '../format.js';
import { socketAccessAdvice } from '../groups/advice.js';
import type { Member } from '../groups/identify.js';
import type { ApacheInstance } from '../groups/instance.js';
import { assertGroupsExist, daemonGroupsOf, knownGroups } from '../groups/lookup.js';
import { adviceFor, blockingDoubts } from '../groups/verify.js';
import type { ProcessInfo } from '../processes/types.js';

/** One group in one instance, and what a reload of it will signal. */
export interface GroupPlan {
  instance: ApacheInstance;
  group: string;
  targets: ProcessInfo[];
  skipped: { pid: number; reason: string }[];
}

export interface PlanOptions {
  /** Every group of the instances instead of `names`. */
  all: boolean;
  /** Go by the configuration even when it changed since Apache read it or holds undecidable sections. */
  trustConfig: boolean;
}

/**
 * Whether the Apache parent holds the group's listener socket: it does for every group it configured, even
 * while the group has no process (between two generations, during churn or another reload).
 */
export function hasGroupListener(instance: ApacheInstance, group: string): boolean {
  const id = instance.context.groups.findIndex((each) => each.name === group) + 1;
  if (id === 0 || instance.context.listeners === null) return false;
  return [...instance.context.listeners.values()].some((listener) => listener.id === id);
}

function isTarget(member: Member, group: string): boolean {
  return member.role === 'daemon' && member.group === group && member.process.pid !== 1;
}

/** Why a daemon whose cut name fits several groups was not identified, in the words of its evidence. */
function describeUnsure(member: Member): string {
  const fits = formatList(member.candidates, 'or');
  if (member.socketIds === null)
    return `not identified: its cut name fits ${fits} and its sockets could not be read`;
  if (member.socketIds.length > 1)
    return `not identified yet: it still holds ${member.socketIds.length} groups' listeners, as a daemon does for a moment after it starts`;
  return `not identified: its cut name fits ${fits} and it holds no group's listener`;
}

function describe(instance: ApacheInstance): string {
  return `${instance.parent.comm} (pid ${instance.parent.pid})`;
}

/** Exit 4 for a group whose processes run but cannot be told apart with the caller's rights. */
function unidentifiable(group: string, mine: GroupPlan[], instances: ApacheInstance[]): WsgictlError | null {
  const unsure = mine.flatMap((plan) => plan.skipped);
  const first = mine[0]?.instance;
  if (unsure.length > 0 && first) {
    const daemons = first.children.filter((m) => unsure.some((s) => s.pid === m.process.pid));
    return new WsgictlError(
      'PERMISSION',
      `cannot tell which processes belong to "${group}" (pids ${unsure.map((s) => s.pid).join(' ')} show a cut display-name): ${socketAccessAdvice(
        first.parent,
        daemons.map((m) => m.process),
        first.config.coreDumpDirectory ?? null,
      )}`,
    );
  }
  // A group without display-name looks like Apache's workers unless its sockets can be read.
  for (const instance of instances) {
    const silent = instance.config.groups.some((g) => g.name === group && g.displayName === null);
    const hidden = instance.children.filter((member) => member.via === 'argv0');
    if (silent && hidden.length > 0) {
      return new WsgictlError(
        'PERMISSION',
        `cannot tell which children of ${describe(instance)} are "${group}": it has no display-name, so its daemons look like workers; ${socketAccessAdvice(
          instance.parent,
          hidden.map((m) => m.process),
          instance.config.coreDumpDirectory ?? null,
        )}`,
      );
    }
  }
  return null;
}

/** Exit 5 when any instance's identification is in doubt: nothing may be sent on a mapping we cannot prove. */
function assertProven(plans: Array<Pick<GroupPlan, 'instance' | 'group'>>, trustConfig: boolean): void {
  for (const plan of plans) {
    const doubts = blockingDoubts(plan.instance.doubts, trustConfig);
    const first = doubts[0];
    if (!first) continue;
    const more =
      doubts.length > 1
        ? ` (and ${doubts.length - 1} more reason${doubts.length > 2 ? 's' : ''}: see \`wsgictl ps\`)`
        : '';
    throw new WsgictlError(
      'REFUSED',
      `refused to reload "${plan.group}" under ${describe(plan.instance)}, nothing was sent: ${first.reason}${more}; ${adviceFor(first)}`,
    );
  }
}

/**
 * Decides which processes a reload signals: the daemons identified as the group's, in every chosen
 * instance. A process whose group is ambiguous is never signalled; a group with nothing to signal anywhere
 * is an error (3 when nothing runs, 4 when the processes exist but cannot be told apart without more
 * rights), and so is an instance whose identification is in doubt (5).
 */
export function planReload(instances: ApacheInstance[], names: string[], options: PlanOptions): GroupPlan[] {
  const wanted = options.all ? knownGroups(instances) : names;
  if (!options.all) assertGroupsExist(daemonGroupsOf(instances), names);
  if (options.all && wanted.length === 0) {
    throw new WsgictlError('NO_SUCH_GROUP', 'no mod_wsgi daemon group found: check `wsgictl ps`');
  }
  const plans: GroupPlan[] = [];
  for (const group of wanted) {
    const mine: GroupPlan[] = [];
    for (const instance of instances) {
      const targets = instance.children
        .filter((member) => isTarget(member, group))
        .map((member) => member.process);
      const unsure = instance.children.filter(
        (member) => member.via === 'ambiguous' && member.candidates.includes(group),
      );
      const skipped = unsure.map((member) => ({ pid: member.process.pid, reason: describeUnsure(member) }));
      if (targets.length > 0 || skipped.length > 0) mine.push({ instance, group, targets, skipped });
    }
    if (mine.some((plan) => plan.targets.length > 0)) {
      plans.push(...mine.filter((plan) => plan.targets.length > 0));
      continue;
    }
    // A mapping in doubt explains a group found nowhere better than "not running" does.
    const configuring = instances.filter((instance) => instance.config.groups.some((g) => g.name === group));
    assertProven(
      configuring.map((instance) => ({ instance, group })),
      options.trustConfig,
    );
    const denied = unidentifiable(group, mine, instances);
    if (denied) throw denied;
    if (!options.all && configuring.some((instance) => hasGroupListener(instance, group))) {
      throw new WsgictlError(
        'NO_PROCESSES',
        `group ${group} has no process at this moment; its listener exists, so it is configured: its daemons are restarting`,
      );
    }
    if (!options.all) {
      throw new WsgictlError(
        'NO_PROCESSES',
        `group "${group}" has no running processes: is Apache's configuration loaded? (check \`wsgictl ps ${group}\`)`,
      );
    }
  }
  assertProven(plans, options.trustConfig);
  return plans;
}
