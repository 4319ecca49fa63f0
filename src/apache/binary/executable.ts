import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readlinkSync,
  readSync,
  type Stats,
  statSync,
} from 'node:fs';
import type { ProcessSource } from '../../processes/types.js';
import { type ExecutableFacts, type FileFacts, type FolderFacts, listFolders } from './run-rules.js';

/** More than any httpd build (Debian's apache2 is under 1 MiB): a bigger "executable" is not read. */
export const EXECUTABLE_MAX_BYTES = 64 * 1024 * 1024;

const DELETED = ' (deleted)';

/** The facts the run rules judge, from a stat. */
export function factsOf(stat: Stats): FileFacts {
  return {
    dev: stat.dev,
    ino: stat.ino,
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    uid: stat.uid,
    mode: stat.mode,
    isFile: stat.isFile(),
    isLink: stat.isSymbolicLink(),
  };
}

export function tryFacts(read: () => Stats): FileFacts | null {
  try {
    return factsOf(read());
  } catch {
    return null;
  }
}

/** fstat of what `path` opens, without following a final symlink of our own and without blocking on a FIFO. */
export function statOpened(path: string, follow: boolean): FileFacts | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (follow ? 0 : constants.O_NOFOLLOW));
  } catch {
    return null;
  }
  try {
    return factsOf(fstatSync(fd));
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * The facts about an Apache parent's executable. On Linux /proc/PID/exe is a link the kernel pins to the very
 * file the process runs (even a deleted one, even inside a container), so opening it reaches that inode and
 * nothing a path could be swapped for; elsewhere only the path the process was started by is known.
 */
export async function inspectExecutable(source: ProcessSource, pid: number): Promise<ExecutableFacts | null> {
  if (source.procRoot !== undefined) {
    const pinned = `${source.procRoot}/${pid}/exe`;
    let link: string;
    try {
      link = readlinkSync(pinned);
    } catch {
      return null;
    }
    const deleted = link.endsWith(DELETED);
    const path = deleted ? link.slice(0, -DELETED.length) : link;
    // The magic link itself must be followed: it goes straight to the inode, never through a path.
    return { pinned, path, deleted, stat: statOpened(pinned, true) };
  }
  const path = await source.executable(pid);
  if (path === null) return null;
  return { pinned: null, path, deleted: false, stat: tryFacts(() => statSync(path)) };
}

/** What judgeRun needs beyond the executable: the path as we resolve it now, and each folder above it. */
export function inspectPath(path: string): { pathStat: FileFacts | null; folders: FolderFacts[] } {
  return {
    pathStat: statOpened(path, false),
    folders: listFolders(path).map((folder) => ({ path: folder, stat: tryFacts(() => lstatSync(folder)) })),
  };
}

/** The executable's bytes, read through one fd of the pinned file; null when not a regular file or too big. */
export function readExecutableBytes(facts: ExecutableFacts): Buffer | null {
  const path = facts.pinned ?? facts.path;
  let fd: number;
  try {
    fd = openSync(
      path,
      constants.O_RDONLY | constants.O_NONBLOCK | (facts.pinned ? 0 : constants.O_NOFOLLOW),
    );
  } catch {
    return null;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > EXECUTABLE_MAX_BYTES) return null;
    const buffer = Buffer.allocUnsafe(stat.size);
    let filled = 0;
    while (filled < buffer.length) {
      const count = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (count === 0) break;
      filled += count;
    }
    return buffer.subarray(0, filled);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
