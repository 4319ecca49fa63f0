import { posix } from 'node:path';
import { readApacheBuild } from '../apache/binary/read-build.js';
import type { ExecutableFacts } from '../apache/binary/run-rules.js';
import {
  type ApacheConfig,
  apacheLayout,
  type DaemonGroupConfig,
  parseApacheCommandLine,
} from '../apache/config/model.js';
import { loadApacheConfig } from '../apache/config/reader.js';
import { ReadBudget } from '../files/safe-files.js';
import { type FileView, hostFiles } from '../files/view.js';
import type { ProcessInfo, ProcessSource } from '../processes/types.js';
import { parsePasswd } from '../processes/users.js';
import { type InstanceContext, identifyChild, type Member } from './identify.js';
import { heldIds, type Listener } from './listeners.js';
import { type Doubt, type Staleness, verifyInstance } from './verify.js';

/** A group as seen in one instance: what the configuration asks for and what runs. */
export interface GroupView {
  name: string;
  /** Null when the group was seen running but is not in the configuration that could be read. */
  config: DaemonGroupConfig | null;
  members: Member[];
  /** False when any doubt stands against the instance's mapping: see `doubts`. */
  verified: boolean;
}

export interface ApacheInstance {
  parent: ProcessInfo;
  config: ApacheConfig;
  context: InstanceContext;
  /** Every child of the parent, identified. */
  children: Member[];
  groups: GroupView[];
  /** Reasons not to trust which process belongs to which group; empty when every check agreed. */
  doubts: Doubt[];
  /** When Apache last read its configuration, as far as can be told. */
  configReadAt: Date;
  /** '' when Apache shares our mount namespace, else how its files are reached (`/proc/PID/root`). */
  fileRoot: string;
  /** The pid its PidFile names, or null when it could not be read. */
  pidFilePid: number | null;
  /** Why it is not trusted (trust.ts), when --instance named it anyway; null or absent: trusted. */
  distrust?: string | null;
  warnings: string[];
}

/** Identifies every child of the context's parent among `processes`, strongest evidence first. */
export async function identifyChildren(
  source: ProcessSource,
  context: InstanceContext,
  processes: ProcessInfo[],
): Promise<Member[]> {
  const children: Member[] = [];
  for (const child of processes) {
    if (child.ppid !== context.parentPid) continue;
    children.push(await identifyProcess(source, context, child));
  }
  return children;
}

/** Identifies one child of the context's parent as it is now. */
export async function identifyProcess(
  source: ProcessSource,
  context: InstanceContext,
  child: ProcessInfo,
): Promise<Member> {
  const socketIds = context.listeners
    ? heldIds(await source.socketInodes(child.pid), context.listeners)
    : null;
  return identifyChild(child, context, { socketIds });
}

function changedMs(files: FileView, path: string): number | null {
  try {
    return files.stat(path).changedMs;
  } catch {
    return null;
  }
}

/** httpd's compiled-in PidFile when the configuration sets none (DEFAULT_PIDLOG), under ServerRoot. */
const DEFAULT_PID_FILE = 'logs/httpd.pid';

function pidFileOf(config: ApacheConfig): string {
  return config.pidFile ?? posix.resolve(config.serverRoot, DEFAULT_PID_FILE);
}

/** The pid in the instance's PidFile, or null when there is none to read. */
export function readPidFile(config: ApacheConfig, files: FileView): number | null {
  try {
    const text = files.readText(pidFileOf(config)).trim();
    return /^\d+$/.test(text) ? Number(text) : null;
  } catch {
    return null;
  }
}

/**
 * When the current generation read its configuration. mod_wsgi binds its listener sockets right after
 * Apache reads the configuration, at start and at every graceful restart, and Apache rewrites its pidfile at
 * the same point; the parent's start time is right only before the first graceful restart.
 */
function findReadTime(
  parent: ProcessInfo,
  config: ApacheConfig,
  listeners: Listener[] | null,
  files: FileView,
  pidFilePid: number | null,
): { readAt: Date; readFrom: string } {
  const bound = (listeners ?? []).map((listener) => changedMs(files, listener.path));
  if (bound.length > 0 && bound.every((ms) => ms !== null)) {
    const generation = listeners?.[0]?.generation;
    const which = generation === null || generation === undefined ? '' : `, generation ${generation}`;
    return { readAt: new Date(Math.min(...(bound as number[]))), readFrom: `its listener sockets${which}` };
  }
  const written = changedMs(files, pidFileOf(config));
  if (written !== null && pidFilePid === parent.nsPid) {
    return { readAt: new Date(written), readFrom: 'its pidfile' };
  }
  return { readAt: parent.startedAt, readFrom: 'its start; a graceful restart since then cannot be seen' };
}

/** The first file or folder of the configuration that changed after Apache read it, or null. */
export function findStaleness(
  consulted: string[],
  files: FileView,
  read: { readAt: Date; readFrom: string },
): Staleness | null {
  for (const path of consulted) {
    const ms = changedMs(files, path);
    if (ms !== null && ms > read.readAt.getTime()) {
      return { path, changedAt: new Date(ms), readAt: read.readAt, readFrom: read.readFrom };
    }
  }
  return null;
}

function createUidLookup(files: FileView): (name: string) => number | null {
  let users: Map<string, number> | undefined;
  return (name) => {
    if (/^#\d+$/.test(name)) return Number(name.slice(1));
    if (!users) {
      users = new Map();
      try {
        for (const [uid, user] of parsePasswd(files.readText('/etc/passwd'))) users.set(user, uid);
      } catch {}
    }
    return users.get(name) ?? null;
  };
}

function buildGroups(config: ApacheConfig, children: Member[], verified: boolean): GroupView[] {
  const groups: GroupView[] = config.groups.map((group) => ({
    name: group.name,
    config: group,
    members: [],
    verified,
  }));
  for (const member of children) {
    if (member.group === null) continue;
    let view = groups.find((group) => group.name === member.group);
    if (!view) {
      view = { name: member.group, config: null, members: [], verified };
      groups.push(view);
    }
    view.members.push(member);
  }
  return groups;
}

/**
 * Reads one Apache instance: its configuration as Apache evaluates it (in its own mount namespace), its
 * listener sockets, every child identified, and every doubt about that identification.
 */
export async function readInstance(
  source: ProcessSource,
  parent: ProcessInfo,
  listeners: Listener[] | null,
  apache: ProcessInfo[],
  trust: { executable: ExecutableFacts | null; distrust: string | null } = {
    executable: null,
    distrust: null,
  },
): Promise<ApacheInstance> {
  const fileRoot = (await source.fileRoot(parent.pid)) ?? '';
  const files = hostFiles(fileRoot);
  const build = await readApacheBuild({
    executable: trust.executable,
    fileRoot,
    trusted: trust.distrust === null,
  });
  const exists = (path: string) => changedMs(files, path) !== null;
  const config = loadApacheConfig(
    parseApacheCommandLine(parent.argv, parent.comm, apacheLayout(source.os ?? process.platform), exists),
    (await source.environment(parent.pid)) ?? {},
    build,
    // One budget of bytes and time for all the files of this instance's configuration.
    hostFiles(fileRoot, new ReadBudget()),
  );
  const context: InstanceContext = {
    parentPid: parent.pid,
    argv0Length: (parent.argv[0] ?? '').length,
    groups: config.groups,
    listeners: listeners && new Map(listeners.map((listener) => [listener.inode, listener])),
  };
  const children = await identifyChildren(source, context, apache);
  const pidFilePid = readPidFile(config, files);
  const read = findReadTime(parent, config, listeners, files, pidFilePid);
  const doubts = verifyInstance({
    context,
    parentArgv0: parent.argv[0] ?? '',
    parentUid: parent.uid,
    parentNsPid: parent.nsPid,
    socketPrefix: config.socketPrefix,
    apacheUser: config.user,
    children,
    undecided: config.doubts,
    stale: findStaleness(config.consulted, files, read),
    uidOf: createUidLookup(files),
  });
  return {
    parent,
    config,
    context,
    children,
    groups: buildGroups(config, children, doubts.length === 0),
    doubts,
    configReadAt: read.readAt,
    fileRoot,
    pidFilePid,
    distrust: trust.distrust,
    warnings: [...config.warnings],
  };
}
