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
 * What a platform calls a group: whether a name names one, and the refusal for names that name none (UNIX:
 * WSGIDaemonProcess groups; Windows, which has no daemon mode: the WSGIScriptAlias applications).
 */
export interface GroupCatalogue {
  names(name: string): boolean;
  refuse(missing: string[]): WsgictlError;
}

/** Throws the catalogue's refusal (exit 3) when a name names no group in it: a typo reloads nothing. */
export function assertGroupsExist(catalogue: GroupCatalogue, names: string[]): void {
  const missing = names.filter((name) => !catalogue.names(name));
  if (missing.length > 0) throw catalogue.refuse(missing);
}

/**
 * The daemon groups of these instances. Names are compared as literal text: `djang` is not `django`, and
 * `.*` is not a pattern.
 */
export function daemonGroupsOf(instances: ApacheInstance[]): GroupCatalogue {
  const known = knownGroups(instances);
  return {
    names: (name) => known.includes(name),
    refuse: (missing) => refuseMissingGroups(instances, known, missing),
  };
}

function refuseMissingGroups(instances: ApacheInstance[], known: string[], missing: string[]): WsgictlError {
  for (const name of missing) {
    for (const instance of instances) {
      const skipped = instance.config.skippedGroups.find((group) => group.name === name);
      if (skipped) {
        return new WsgictlError(
          'NO_SUCH_GROUP',
          `group "${name}" is defined at ${skipped.file}:${skipped.line} inside ${skipped.condition}, which Apache skips, so it has no processes under ${describeInstances([instance])}`,
        );
      }
    }
  }
  const what = missing.map((name) => `"${name}"`).join(', ');
  if (instances.length === 0) {
    return new WsgictlError(
      'NO_SUCH_GROUP',
      `no group ${what}: no Apache (apache2/httpd) is running on this machine`,
    );
  }
  const hint =
    known.length > 0 ? `groups are ${formatList(known)}` : 'no WSGIDaemonProcess is configured there';
  return new WsgictlError('NO_SUCH_GROUP', `no group ${what} under ${describeInstances(instances)}: ${hint}`);
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
