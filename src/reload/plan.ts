import type { ApacheInstance } from '../apache/discover.js';
import type { Member } from '../apache/identify.js';
import { WsgictlError } from '../errors.js';
import { formatList } from '../format.js';
import type { ProcessInfo } from '../processes/types.js';
import { assertGroupsExist, knownGroups } from '../ps/select.js';

/** One group in one instance, and what a reload of it will signal. */
export interface GroupPlan {
  instance: ApacheInstance;
  group: string;
  targets: ProcessInfo[];
  skipped: { pid: number; reason: string }[];
}

function isTarget(member: Member, group: string): boolean {
  return member.role === 'daemon' && member.group === group && member.process.pid !== 1;
}

/**
 * Decides which processes a reload signals: the daemons identified as the group's, in every chosen
 * instance. A process whose group is ambiguous is never signalled; a group with nothing to signal anywhere
 * is an error (3 when nothing runs, 4 when the processes exist but cannot be told apart without more rights).
 */
export function planReload(instances: ApacheInstance[], names: string[], all: boolean): GroupPlan[] {
  const wanted = all ? knownGroups(instances) : names;
  if (!all) assertGroupsExist(instances, names);
  if (all && wanted.length === 0) {
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
      const skipped = unsure.map((member) => ({
        pid: member.process.pid,
        reason: `its cut name fits ${formatList(member.candidates, 'or')}`,
      }));
      if (targets.length > 0 || skipped.length > 0) mine.push({ instance, group, targets, skipped });
    }
    if (mine.some((plan) => plan.targets.length > 0)) {
      plans.push(...mine.filter((plan) => plan.targets.length > 0));
      continue;
    }
    const unsure = mine.flatMap((plan) => plan.skipped);
    if (unsure.length > 0) {
      const owner = mine[0]?.instance.children.find((member) => member.process.pid === unsure[0]?.pid)
        ?.process.user;
      throw new WsgictlError(
        'PERMISSION',
        `cannot tell which processes belong to "${group}" (pids ${unsure.map((s) => s.pid).join(' ')} show a cut display-name): run as root or ${owner}, so that wsgictl can read their sockets`,
      );
    }
    if (!all) {
      throw new WsgictlError(
        'NO_PROCESSES',
        `group "${group}" has no running processes: is Apache's configuration loaded? (check \`wsgictl ps ${group}\`)`,
      );
    }
  }
  return plans;
}
