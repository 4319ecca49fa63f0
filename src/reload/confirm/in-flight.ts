import { parseListenerPath } from '../../groups/listeners.js';
import type { ProcessSource, UnixSocketState } from '../../processes/types.js';

/** /proc/net/unix's `St` for a connected socket (SS_CONNECTED); a listener is 01. */
const CONNECTED_STATE = '03';

/**
 * How many requests a mod_wsgi daemon is serving now, or null when that cannot be told (its fds are closed
 * to us, or the platform has no socket states). An Apache worker's connection, accepted on the daemon's
 * listener, shows in /proc/net/unix with that listener's path and state 03 (seen with mod_wsgi 4.9.4); the
 * app's own connections (a database, syslog) carry other paths or are TCP, so they do not count.
 */
export async function countInFlight(source: ProcessSource, pid: number): Promise<number | null> {
  if (!source.unixSocketStates) return null;
  const inodes = await source.socketInodes(pid);
  const sockets = inodes && (await source.unixSocketStates(pid));
  if (!inodes || !sockets) return null;
  return countConnected(inodes, sockets);
}

/** The count of countInFlight, from a process's socket inodes and its network namespace's unix sockets. */
export function countConnected(inodes: Set<string>, sockets: ReadonlyMap<string, UnixSocketState>): number {
  let count = 0;
  for (const inode of inodes) {
    const socket = sockets.get(inode);
    if (socket?.state !== CONNECTED_STATE || socket.path === null) continue;
    if (parseListenerPath(inode, socket.path)) count++;
  }
  return count;
}

/** pid -> requests in flight (null: cannot tell), for the processes still running at the end of a wait. */
export async function countEachInFlight(
  source: ProcessSource,
  pids: Iterable<number>,
): Promise<Map<number, number | null>> {
  const counts = new Map<number, number | null>();
  for (const pid of pids) counts.set(pid, await countInFlight(source, pid));
  return counts;
}
