import type { ProcessDescriptor } from 'ps-list';
import { selfAndAncestors } from './ancestors.js';
import type { ListOptions, ProcessInfo, ProcessSource, ProcessTable } from './types.js';

export type ListDescriptors = () => Promise<ProcessDescriptor[]>;

/** The executable's short name, like Linux comm: fastlist gives `httpd.exe`, a path gives its last part. */
export function shortName(name: string): string {
  return name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
}

/**
 * Windows reports no command line: the executable name stands in for argv[0]. (macOS does not come here:
 * ps-list's `name` is argv[0] there, which mod_wsgi rewrites; see processes/macos.ts.)
 */
function toProcessInfo(descriptor: ProcessDescriptor, totalMemoryBytes: number): ProcessInfo {
  const argv = descriptor.cmd?.trim() ? descriptor.cmd.trim().split(/\s+/) : [descriptor.name];
  const uid = descriptor.uid ?? -1;
  const startedAt = descriptor.startTime ?? new Date(0);
  return {
    pid: descriptor.pid,
    ppid: descriptor.ppid,
    uid,
    user: uid < 0 ? '' : String(uid),
    startKey: String(startedAt.getTime()),
    startedAt,
    nsPid: descriptor.pid,
    argv,
    comm: shortName(descriptor.name),
    rssBytes:
      descriptor.memory === undefined ? null : Math.round((descriptor.memory / 100) * totalMemoryBytes),
  };
}

/** The process table for Windows (and other systems without /proc), through ps-list; tests inject `listDescriptors`. */
export function createPsListSource(
  listDescriptors: ListDescriptors = async () => (await import('ps-list')).default({ all: true }),
  totalMemoryBytes = 0,
  os?: NodeJS.Platform,
): ProcessSource {
  const listAll = async (): Promise<ProcessInfo[]> =>
    (await listDescriptors()).map((descriptor) => toProcessInfo(descriptor, totalMemoryBytes));

  return {
    platform: 'ps-list',
    os,
    async list(options: ListOptions = {}): Promise<ProcessTable> {
      const all = await listAll();
      const stubs = new Map(all.map((info) => [info.pid, { pid: info.pid, comm: info.comm }]));
      const processes = options.detail ? all.filter((info) => options.detail?.(info)) : all;
      return { stubs, processes };
    },
    async ancestors(pid: number): Promise<Set<number>> {
      return selfAndAncestors(new Map((await listAll()).map((info) => [info.pid, info])), pid);
    },
    async read(pid: number): Promise<ProcessInfo | null> {
      return (await listAll()).find((info) => info.pid === pid) ?? null;
    },
    async socketInodes(): Promise<Set<string> | null> {
      return null;
    },
    async environment(): Promise<NodeJS.ProcessEnv | null> {
      return null;
    },
    async unixSocketPaths(): Promise<Map<string, string> | null> {
      return null;
    },
    async fileRoot(): Promise<string | null> {
      return '';
    },
    async executable(): Promise<string | null> {
      return null;
    },
  };
}
