import { statSync } from 'node:fs';
import type { ProcessInfo, ProcessSource } from '../processes/types.js';
import {
  type ApacheConfig,
  type DaemonGroupConfig,
  loadApacheConfig,
  parseApacheCommandLine,
} from './config.js';
import { type InstanceContext, identifyChild, type Member, parseSocketId } from './identify.js';

/** A group as seen in one instance: what the configuration asks for and what runs. */
export interface GroupView {
  name: string;
  /** Null when the group was seen running but is not in the configuration that could be read. */
  config: DaemonGroupConfig | null;
  members: Member[];
}

export interface ApacheInstance {
  parent: ProcessInfo;
  config: ApacheConfig;
  context: InstanceContext;
  /** Every child of the parent, identified. */
  children: Member[];
  groups: GroupView[];
  warnings: string[];
}

/** Apache's program names as comm shows them: apache2 (Debian), httpd (RHEL, macOS), httpd2-prefork (SUSE). */
export function isApacheComm(comm: string): boolean {
  return /^(apache2|httpd)/i.test(comm);
}

/** Reads the ids of this instance's listener sockets held by a process, or null when its fds are closed to us. */
export async function readSocketIds(
  source: ProcessSource,
  pid: number,
  parentPid: number,
  unixPaths: Map<string, string> | null,
): Promise<number[] | null> {
  if (!unixPaths) return null;
  const inodes = await source.socketInodes(pid);
  if (!inodes) return null;
  const ids = new Set<number>();
  for (const inode of inodes) {
    const path = unixPaths.get(inode);
    const id = path === undefined ? null : parseSocketId(path, parentPid);
    if (id !== null) ids.add(id);
  }
  return [...ids];
}

function staleConfigWarning(config: ApacheConfig, startedAt: Date): string | null {
  for (const file of config.files) {
    try {
      if (statSync(file).mtimeMs > startedAt.getTime() + 1000) {
        return `${file} changed after Apache started: group names come from the file and may not match what runs until Apache reloads it`;
      }
    } catch {
      // gone since it was read: nothing to compare
    }
  }
  return null;
}

function buildGroups(config: ApacheConfig, children: Member[]): GroupView[] {
  const groups: GroupView[] = config.groups.map((group) => ({
    name: group.name,
    config: group,
    members: [],
  }));
  for (const member of children) {
    if (member.group === null) continue;
    let view = groups.find((group) => group.name === member.group);
    if (!view) {
      view = { name: member.group, config: null, members: [] };
      groups.push(view);
    }
    view.members.push(member);
  }
  return groups;
}

/** Identifies every child of the context's parent among `processes`, strongest evidence first. */
export async function identifyChildren(
  source: ProcessSource,
  context: InstanceContext,
  processes: ProcessInfo[],
  unixPaths: Map<string, string> | null,
): Promise<Member[]> {
  const children: Member[] = [];
  for (const child of processes) {
    if (child.ppid !== context.parentPid) continue;
    const socketIds = await readSocketIds(source, child.pid, context.parentPid, unixPaths);
    children.push(identifyChild(child, context, { socketIds }));
  }
  return children;
}

export interface DiscoverOptions {
  /** The pid whose ancestry is left out of every instance (default: this process). */
  self?: number;
  /** Keep only the instance with this parent pid. */
  instance?: number;
}

/**
 * Finds every Apache instance on the machine (a parent apache2/httpd whose own parent is another program),
 * reads its configuration, and identifies each child: daemon of which group, or worker.
 */
export async function discoverInstances(
  source: ProcessSource,
  options: DiscoverOptions = {},
): Promise<ApacheInstance[]> {
  const table = await source.list({ detail: (stub) => isApacheComm(stub.comm) });
  const excluded = await source.ancestors(options.self ?? process.pid);
  const apache = table.processes.filter((info) => !excluded.has(info.pid));
  const parents = apache.filter(
    (info) =>
      table.stubs.get(info.ppid)?.comm !== info.comm &&
      !(info.argv[0] ?? '').startsWith('(wsgi:') &&
      (options.instance === undefined || options.instance === info.pid),
  );
  if (parents.length === 0) return [];

  const unixPaths = await source.unixSocketPaths();
  const instances: ApacheInstance[] = [];
  for (const parent of parents) {
    const config = loadApacheConfig(
      parseApacheCommandLine(parent.argv, parent.comm),
      (await source.environment(parent.pid)) ?? {},
    );
    const context: InstanceContext = {
      parentPid: parent.pid,
      argv0Length: (parent.argv[0] ?? '').length,
      groups: config.groups,
    };
    const children = await identifyChildren(source, context, apache, unixPaths);
    const warnings = [...config.warnings];
    const stale = staleConfigWarning(config, parent.startedAt);
    if (stale) warnings.push(stale);
    instances.push({ parent, config, context, children, groups: buildGroups(config, children), warnings });
  }
  return instances;
}
