import type { DaemonGroupConfig } from '../apache/config/model.js';
import { displayedName, matchDisplayName } from '../groups/identify.js';
import type { ApacheInstance } from '../groups/instance.js';
import { groupBySocket } from './drain.js';
import type { GracefulGroup } from './types.js';

/**
 * What can be seen from outside to differ between a running group and its new configuration: how many
 * processes run, as which user, and the display-name they show (cut as mod_wsgi cuts it). threads= and
 * python-home= cannot be read off a running daemon.
 */
function findDifferences(
  config: DaemonGroupConfig,
  running: ApacheInstance['children'],
  instance: ApacheInstance,
): string[] {
  const differences: string[] = [];
  if (running.length !== config.processes)
    differences.push(`processes ${running.length} -> ${config.processes}`);
  const users = [...new Set(running.map((member) => member.process.user))];
  if (config.user !== null && users.length > 0 && !users.includes(config.user)) {
    differences.push(`user ${users.join(',')} -> ${config.user}`);
  }
  const apacheArgv0 = (instance.parent.argv[0] ?? '').trimEnd();
  const shown = [...new Set(running.map((member) => (member.process.argv[0] ?? '').trimEnd()))];
  const wanted = (displayedName(config) ?? apacheArgv0).slice(0, instance.context.argv0Length).trimEnd();
  if (shown.length > 0 && !shown.includes(wanted)) {
    differences.push(`display-name shown "${shown.join('", "')}" -> "${wanted}"`);
  }
  return differences;
}

/**
 * The name of the running group behind listener socket `id`. Its id is its place among the directives
 * Apache read last time, and the configuration may have changed since: an uncut `(wsgi:NAME)` that its
 * daemons show wins; the group at that place in the configuration now is taken only when what they show
 * fits it (or they show Apache's own argv[0]); else it is named by its socket id.
 */
function nameRunningGroup(instance: ApacheInstance, id: number, members: ApacheInstance['children']): string {
  const shown = [...new Set(members.map((member) => (member.process.argv[0] ?? '').trimEnd()))];
  const uncut = shown.length === 1 ? /^\(wsgi:(.+)\)$/.exec(shown[0] ?? '')?.[1] : undefined;
  if (uncut) return uncut;
  const byPlace = instance.config.groups[id - 1];
  if (byPlace && shown.length === 1) {
    const own = (instance.parent.argv[0] ?? '').trimEnd();
    const fits = matchDisplayName(shown[0] ?? '', { ...instance.context, groups: [byPlace] }).length === 1;
    if (fits || shown[0] === own) return byPlace.name;
  }
  return `socket id ${id}`;
}

/** The groups before the restart (by listener socket) against the configuration Apache is about to read. */
export function planGroups(instance: ApacheInstance): GracefulGroup[] {
  const running = new Map<string, ApacheInstance['children']>();
  for (const [id, members] of groupBySocket(instance)) {
    running.set(nameRunningGroup(instance, id, members), members);
  }
  const planned: GracefulGroup[] = instance.config.groups.map((config) => {
    const members = running.get(config.name) ?? [];
    return {
      group: config.name,
      change: members.length > 0 ? 'restarted' : 'added',
      state: 'planned',
      processes: config.processes,
      oldPids: members.map((member) => member.process.pid),
      newPids: [],
      ms: null,
      differences: members.length > 0 ? findDifferences(config, members, instance) : [],
    };
  });
  for (const [group, members] of running) {
    if (instance.config.groups.some((config) => config.name === group)) continue;
    planned.push({
      group,
      change: 'removed',
      state: 'planned',
      processes: 0,
      oldPids: members.map((member) => member.process.pid),
      newPids: [],
      ms: null,
      differences: [],
    });
  }
  return planned;
}
