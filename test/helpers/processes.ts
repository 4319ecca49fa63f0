import type { ProcessInfo, ProcessSource } from '../../src/processes/types.js';

/** The Apache parent of the processes `proc` makes. */
export const PARENT = 100;

/** A child of PARENT as the process table reports it: by default a daemon of django, as mod_wsgi names it. */
export function proc(pid: number, fields: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid,
    ppid: PARENT,
    uid: 33,
    user: 'www-data',
    startKey: '1',
    startedAt: new Date(0),
    nsPid: pid,
    argv: ['(wsgi:django)'],
    comm: 'apache2',
    rssBytes: null,
    ...fields,
  };
}

/**
 * A process table that shows `poll(n)` at its n-th list() (from 0); read() answers from the table of the
 * last list() (the first one's before any). It holds no socket and reads nothing of this machine.
 */
export function scriptedSource(poll: (n: number) => ProcessInfo[]): ProcessSource & { lists: () => number } {
  let n = -1;
  let current: ProcessInfo[] = poll(0);
  return {
    platform: 'linux',
    lists: () => n + 1,
    list: async (options) => {
      n++;
      current = poll(n);
      const detail = options?.detail ?? (() => true);
      return {
        stubs: new Map(current.map((p) => [p.pid, { pid: p.pid, comm: p.comm }])),
        processes: current.filter((p) => detail({ pid: p.pid, comm: p.comm })),
      };
    },
    read: async (pid) => current.find((p) => p.pid === pid) ?? null,
    ancestors: async () => new Set(),
    socketInodes: async () => null,
    environment: async () => null,
    unixSocketPaths: async () => null,
    fileRoot: async () => '',
    executable: async () => null,
  };
}
