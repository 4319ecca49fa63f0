import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { WsgictlError } from '../errors.js';
import { formatDuration } from '../format.js';

/**
 * Reloads of one Apache instance take turns: two at once would signal each other's replacements (and take
 * a group between generations for one that is not configured). The lock is an abstract unix socket (Linux):
 * bind succeeds for exactly one holder, and the kernel frees the name when the holder dies, even by SIGKILL,
 * so no stale file is ever left to clean up. Other platforms take no lock (see docs/reload.md).
 */
export const LOCK_POLL_MS = 100;

/** The process that holds a lock, as /proc shows it; null fields when it cannot be found. */
export interface LockHolder {
  pid: number | null;
  command: string | null;
}

/** A lock that is held, and how long taking it waited (0: it was free). */
export interface HeldLock {
  name: string;
  waited: { pid: number | null; command: string | null; ms: number } | null;
  release(): void;
}

/** One lock per Apache parent, named by its pid and start time: a new Apache with a reused pid is another. */
export function lockName(parentPid: number, startKey: string): string {
  return `wsgictl-lock-${parentPid}-${startKey}`;
}

function tryBind(name: string): Promise<Server | null> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(null);
      else reject(error);
    });
    // A leading NUL puts the name in the abstract namespace: no file, gone with the last holder.
    server.listen({ path: `\0${name}` }, () => {
      server.unref(); // the lock must not keep the process alive
      resolve(server);
    });
  });
}

/**
 * The inode of the listening abstract socket `name` in /proc/net/unix, or null. The kernel shows each NUL of
 * an abstract name as `@`, and Node binds the whole sun_path, so the name is padded with them.
 */
export function findSocketInode(netUnix: string, name: string): string | null {
  for (const row of netUnix.split('\n').slice(1)) {
    const fields = row.trim().split(/\s+/);
    if (fields[7]?.replace(/@+$/, '') === `@${name}`) return fields[6] ?? null;
  }
  return null;
}

function readCommand(pid: number): string | null {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return text.split('\0').filter(Boolean).join(' ') || null;
  } catch {
    return null;
  }
}

/** Who holds the lock: the process with an fd on its socket (root sees every process; others, their own). */
export function findHolder(name: string): LockHolder {
  let inode: string | null = null;
  try {
    inode = findSocketInode(readFileSync('/proc/net/unix', 'utf8'), name);
  } catch {}
  if (inode === null) return { pid: null, command: null };
  const wanted = `socket:[${inode}]`;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        if (readlinkSync(`/proc/${entry}/fd/${fd}`) === wanted)
          return { pid: Number(entry), command: readCommand(Number(entry)) };
      } catch {}
    }
  }
  return { pid: null, command: null };
}

export function describeHolder(holder: LockHolder): string {
  if (holder.pid === null) return 'a process wsgictl cannot see holds its lock';
  return `pid ${holder.pid}${holder.command ? ` (${holder.command})` : ''} holds its lock`;
}

export interface LockWait {
  /** The Apache parent, for the messages. */
  instance: number;
  timeoutMs: number;
  /** Called once, when the lock is taken by another process. */
  onWait?: (holder: LockHolder) => void;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Takes the lock, waiting for its holder for up to `timeoutMs`; exit 1 if the holder does not let go.
 * Where abstract sockets do not exist, resolves at once with a lock that holds nothing.
 */
export async function acquireLock(name: string, wait: LockWait): Promise<HeldLock> {
  if (process.platform !== 'linux') return { name, waited: null, release: () => {} };
  const sleep = wait.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = Date.now();
  let holder: LockHolder | null = null;
  for (;;) {
    const server = await tryBind(name);
    if (server) {
      const waited = holder ? { pid: holder.pid, command: holder.command, ms: Date.now() - started } : null;
      return { name, waited, release: () => server.close() };
    }
    if (!holder) {
      holder = findHolder(name);
      wait.onWait?.(holder);
    }
    if (Date.now() - started >= wait.timeoutMs) {
      throw new WsgictlError(
        'FAILED',
        `the other reload of Apache pid ${wait.instance} did not end within ${formatDuration(wait.timeoutMs)} (--timeout): ${describeHolder(holder)}; nothing was sent; try again once it ends`,
      );
    }
    await sleep(LOCK_POLL_MS);
  }
}
