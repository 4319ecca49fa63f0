import type { ProcessInfo, ProcessSource } from '../processes/types.js';

/** One mod_wsgi listener socket: `<prefix>.<pid>.<generation>.<id>.sock` (or `.<pid>.u<uid>.<id>.sock`). */
export interface Listener {
  inode: string;
  path: string;
  /** The pid in the name: the Apache parent's, as it sees itself (in its own pid namespace). */
  pid: number;
  /** Apache's generation (graceful restarts since start), or null with `WSGISocketRotation Off`. */
  generation: number | null;
  /** The 1-based order of the group's WSGIDaemonProcess among those Apache read. */
  id: number;
}

const SOCKET_NAME = /\.(\d+)\.(u?)(\d+)\.(\d+)\.sock$/;

/** Reads a listener socket's path, or null when it is not named like one. */
export function parseListenerPath(inode: string, path: string): Listener | null {
  const match = SOCKET_NAME.exec(path);
  if (!match) return null;
  return {
    inode,
    path,
    pid: Number(match[1]),
    generation: match[2] === 'u' ? null : Number(match[3]),
    id: Number(match[4]),
  };
}

/**
 * The mod_wsgi listener sockets a process holds, from its fds and its own network namespace's unix socket
 * table, or null when its fds are closed to us. An Apache parent holds every group's listener; each daemon
 * holds its own group's only, and inherits the very same socket (same inode) from the parent.
 */
export async function readListeners(source: ProcessSource, process: ProcessInfo): Promise<Listener[] | null> {
  const inodes = await source.socketInodes(process.pid);
  if (!inodes) return null;
  if (inodes.size === 0) return [];
  const paths = await source.unixSocketPaths(process.pid);
  if (!paths) return null;
  const listeners: Listener[] = [];
  for (const inode of inodes) {
    const path = paths.get(inode);
    const listener = path === undefined ? null : parseListenerPath(inode, path);
    if (listener) listeners.push(listener);
  }
  return listeners.sort((a, b) => a.id - b.id);
}

/** The group ids behind the sockets a child holds, counting only the parent's own listeners. */
export function heldIds(
  inodes: Set<string> | null,
  parentListeners: ReadonlyMap<string, Listener>,
): number[] | null {
  if (!inodes) return null;
  const ids = new Set<number>();
  for (const inode of inodes) {
    const listener = parentListeners.get(inode);
    if (listener) ids.add(listener.id);
  }
  return [...ids];
}
