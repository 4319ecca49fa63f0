import type { DaemonGroupConfig } from '../apache/config/model.js';
import type { ProcessInfo } from '../processes/types.js';
import type { Listener } from './listeners.js';

export type Role = 'parent' | 'worker' | 'daemon';

/**
 * How a process's role and group were decided:
 * - `process-tree`: the Apache parent itself;
 * - `socket`: it holds the listener socket of exactly one group (strongest);
 * - `display-name`: its argv[0] matches exactly one group's display-name, allowing for the cut;
 * - `ambiguous`: its argv[0] fits several groups (see `candidates`), and no socket could tell them apart;
 * - `no-socket`: its fds were read and hold no mod_wsgi socket, so it is an Apache worker;
 * - `argv0`: its fds could not be read and argv[0] names no group: a worker, or a daemon of a group
 *   without display-name (run as root or the daemon's user to tell).
 */
export type Via = 'process-tree' | 'socket' | 'display-name' | 'ambiguous' | 'no-socket' | 'argv0';

export interface Member {
  process: ProcessInfo;
  role: Role;
  group: string | null;
  via: Via;
  /** With `ambiguous`: the groups whose cut display-name this process shows. */
  candidates: string[];
  /** The group ids of the parent's listener sockets it holds; null when its fds could not be read. */
  socketIds: number[] | null;
}

/** What identifying a child needs to know about its instance. */
export interface InstanceContext {
  parentPid: number;
  /** Length of the argv[0] Apache was started with: mod_wsgi cuts display-names to it. */
  argv0Length: number;
  groups: DaemonGroupConfig[];
  /** The parent's mod_wsgi listener sockets by inode; null when its fds could not be read. */
  listeners: ReadonlyMap<string, Listener> | null;
}

/** The name mod_wsgi writes over argv[0] for a group, before the cut; null when it keeps Apache's own. */
export function displayedName(group: Pick<DaemonGroupConfig, 'name' | 'displayName'>): string | null {
  if (group.displayName === null) return null;
  return group.displayName === '%{GROUP}' ? `(wsgi:${group.name})` : group.displayName;
}

/** The groups whose display-name, cut to `argv0Length`, is what this argv[0] shows. */
export function matchDisplayName(argv0: string, context: InstanceContext): string[] {
  const shown = argv0.trimEnd();
  if (shown === '') return [];
  const matches = context.groups.filter((group) => {
    const name = displayedName(group);
    return name !== null && name.slice(0, context.argv0Length).trimEnd() === shown;
  });
  if (matches.length > 0) return matches.map((group) => group.name);
  // No configuration to compare with (unreadable, or a group added since): an uncut `(wsgi:NAME)` still
  // names its group.
  const whole = /^\(wsgi:(.+)\)$/.exec(shown);
  return whole?.[1] && context.groups.length === 0 ? [whole[1]] : [];
}

/** The evidence gathered about one child, before it is weighed. */
export interface ChildEvidence {
  /** The distinct ids of the parent's listener sockets that the child holds, or null when unknown. */
  socketIds: number[] | null;
}

/** Weighs the evidence for one child of an Apache parent: its socket first, then its display-name. */
export function identifyChild(
  process: ProcessInfo,
  context: InstanceContext,
  evidence: ChildEvidence,
): Member {
  const { socketIds } = evidence;
  const member = (role: Role, group: string | null, via: Via, candidates: string[] = []): Member => ({
    process,
    role,
    group,
    via,
    candidates,
    socketIds,
  });
  if (socketIds && socketIds.length === 1) {
    const config = context.groups[(socketIds[0] as number) - 1];
    if (config) return member('daemon', config.name, 'socket');
  }
  const candidates = matchDisplayName(process.argv[0] ?? '', context);
  if (candidates.length === 1) return member('daemon', candidates[0] as string, 'display-name');
  if (candidates.length > 1) return member('daemon', null, 'ambiguous', candidates);
  if ((process.argv[0] ?? '').startsWith('(wsgi:')) return member('daemon', null, 'ambiguous');
  if (socketIds && socketIds.length > 0) return member('daemon', null, 'ambiguous');
  return member('worker', null, socketIds ? 'no-socket' : 'argv0');
}
