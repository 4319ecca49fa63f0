import { WsgictlError } from '../errors.js';
import { formatList } from '../format.js';
import type { Member } from './identify.js';
import type { ApacheInstance } from './instance.js';

/** Every group name known in these instances, configured or running, in first-seen order. */
export function knownGroups(instances: ApacheInstance[]): string[] {
  return [...new Set(instances.flatMap((instance) => instance.groups.map((group) => group.name)))];
}

function describeInstances(instances: ApacheInstance[]): string {
  return formatList(instances.map((instance) => `${instance.parent.comm} (pid ${instance.parent.pid})`));
}

/**
 * Throws exit 3 when a named group exists in no instance. Names are compared as literal text: `djang`
 * is not `django`, and `.*` is not a pattern.
 */
export function assertGroupsExist(instances: ApacheInstance[], names: string[]): void {
  const known = knownGroups(instances);
  const missing = names.filter((name) => !known.includes(name));
  if (missing.length === 0) return;
  for (const name of missing) {
    for (const instance of instances) {
      const skipped = instance.config.skippedGroups.find((group) => group.name === name);
      if (skipped) {
        throw new WsgictlError(
          'NO_SUCH_GROUP',
          `group "${name}" is defined at ${skipped.file}:${skipped.line} inside ${skipped.condition}, which Apache skips, so it has no processes under ${describeInstances([instance])}`,
        );
      }
    }
  }
  const what = missing.map((name) => `"${name}"`).join(', ');
  if (instances.length === 0) {
    throw new WsgictlError(
      'NO_SUCH_GROUP',
      `no group ${what}: no Apache (apache2/httpd) is running on this machine`,
    );
  }
  const hint =
    known.length > 0 ? `groups are ${formatList(known)}` : 'no WSGIDaemonProcess is configured there';
  throw new WsgictlError('NO_SUCH_GROUP', `no group ${what} under ${describeInstances(instances)}: ${hint}`);
}

/** The parent first, then children in pid order. */
export function instanceMembers(instance: ApacheInstance): Member[] {
  const parent: Member = {
    process: instance.parent,
    role: 'parent',
    group: null,
    via: 'process-tree',
    candidates: [],
    socketIds: null,
  };
  return [parent, ...[...instance.children].sort((a, b) => a.process.pid - b.process.pid)];
}
