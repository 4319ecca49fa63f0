import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  opendirSync,
  openSync,
  readlinkSync,
  readSync,
} from 'node:fs';
import { posix } from 'node:path';

/**
 * The one way wsgictl (run as root) reads a file that a local user or a container controls: Apache's
 * configuration and its includes, `<IfFile>`, the pidfile, a container's /etc/passwd, envvars, error logs.
 * Paths are resolved inside the instance's root as the kernel would resolve them there, only regular files are
 * opened, and every read is bounded.
 */

/** Like the kernel's MAXSYMLINKS: more links than this in one path is ELOOP. */
export const MAX_LINKS = 40;
/** A configuration file, pidfile or passwd larger than this is not read. */
export const MAX_FILE_BYTES = 16 << 20;
/** All files of one instance's configuration together. */
export const MAX_INSTANCE_BYTES = 64 << 20;
/** Names listed from one folder (a directory or wildcard Include). */
export const MAX_DIR_ENTRIES = 10_000;
/** Wall time one instance's configuration may take to read. */
export const CONFIG_BUDGET_MS = 5_000;

/** An error that ends the reading of an instance's configuration (a cap or the time budget was reached). */
export class ReadLimitError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

function errno(code: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${path}`), { code });
}

/** What one instance may still spend on reading: bytes and wall time, shared by all its files. */
export class ReadBudget {
  private bytesLeft: number;
  readonly deadlineMs: number;

  constructor(
    readonly budgetMs = CONFIG_BUDGET_MS,
    readonly maxBytes = MAX_INSTANCE_BYTES,
  ) {
    this.bytesLeft = maxBytes;
    this.deadlineMs = Date.now() + budgetMs;
  }

  /** Throws a ReadLimitError once the time is up. */
  checkTime(): void {
    if (Date.now() > this.deadlineMs)
      throw new ReadLimitError('ETIME', `reading the configuration took longer than ${this.budgetMs} ms`);
  }

  charge(bytes: number): void {
    this.bytesLeft -= bytes;
    if (this.bytesLeft < 0)
      throw new ReadLimitError('EFBIG', `the configuration's files hold more than ${this.maxBytes} bytes`);
  }
}

/**
 * Resolves `path` (as the process sees it) to a path below `root` whose every component is no symlink: `..`
 * stops at the root, an absolute link target starts again at the root (not at this machine's `/`), at most
 * MAX_LINKS links. Throws like lstat (ENOENT, ENOTDIR, EACCES) or ELOOP. The root itself (`/proc/PID/root`,
 * or '' for our own namespace) is taken as it is.
 */
export function resolveInside(root: string, path: string): string {
  const pending = posix.normalize(`/${path}`).split('/').filter(Boolean).reverse();
  const parts: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (name === '.') continue;
    if (name === '..') {
      parts.pop();
      continue;
    }
    const inside = `/${[...parts, name].join('/')}`;
    const stat = lstatSync(`${root}${inside}`);
    if (!stat.isSymbolicLink()) {
      if (pending.length > 0 && !stat.isDirectory()) throw errno('ENOTDIR', inside);
      parts.push(name);
      continue;
    }
    if (++links > MAX_LINKS) throw errno('ELOOP', inside);
    const target = readlinkSync(`${root}${inside}`);
    if (target.startsWith('/')) parts.length = 0;
    pending.push(...target.split('/').filter(Boolean).reverse());
  }
  return `/${parts.join('/')}`;
}

const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;

/**
 * Opens a regular file inside `root` for reading: never a FIFO, a device or a socket (which could block or
 * never end), never through a symlink planted after the path was resolved (O_NOFOLLOW on the last one).
 */
export function openRegular(root: string, path: string): { fd: number; size: number; ino: number } {
  const fd = openSync(`${root}${resolveInside(root, path)}`, OPEN_FLAGS);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw errno('not a regular file', path);
    return { fd, size: stat.size, ino: stat.ino };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/**
 * Reads bytes [from, to) of an open file in chunks; fewer when the file is shorter. Memory follows what is
 * read, not the bound: a 200-byte file under a 16 MiB cap costs one small chunk.
 */
export function readRange(fd: number, from: number, to: number, chunkBytes = 1 << 20): Buffer {
  const chunks: Buffer[] = [];
  let done = 0;
  let chunk = Math.min(chunkBytes, 64 << 10);
  while (from + done < to) {
    const buffer = Buffer.allocUnsafe(Math.min(chunk, to - from - done));
    const read = readSync(fd, buffer, 0, buffer.length, from + done);
    if (read === 0) break;
    chunks.push(read === buffer.length ? buffer : buffer.subarray(0, read));
    done += read;
    chunk = Math.min(chunk * 2, chunkBytes);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, done);
}

/** A whole regular file of at most `maxBytes` as text; EFBIG for a larger one (also one that grows). */
export function readRegularText(root: string, path: string, maxBytes = MAX_FILE_BYTES): string {
  const { fd, size } = openRegular(root, path);
  try {
    if (size > maxBytes) throw errno('EFBIG', path);
    const bytes = readRange(fd, 0, maxBytes + 1);
    if (bytes.length > maxBytes) throw errno('EFBIG', path);
    return bytes.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** Names in a folder inside `root`, at most `maxEntries` (more: an error, not a silent cut). */
export function listInside(root: string, path: string, maxEntries = MAX_DIR_ENTRIES): string[] {
  const dir = opendirSync(`${root}${resolveInside(root, path)}`);
  const names: string[] = [];
  try {
    for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
      if (names.length >= maxEntries) throw errno(`more than ${maxEntries} entries`, path);
      names.push(entry.name);
    }
  } finally {
    dir.closeSync();
  }
  return names;
}

/** What stat says of a path inside `root` (links followed inside it); `id` is dev:ino, for loop detection. */
export function statInside(
  root: string,
  path: string,
): { isDirectory: boolean; changedMs: number; id: string } {
  const stat = lstatSync(`${root}${resolveInside(root, path)}`);
  return {
    isDirectory: stat.isDirectory(),
    changedMs: Math.max(stat.mtimeMs, stat.ctimeMs),
    id: `${stat.dev}:${stat.ino}`,
  };
}
