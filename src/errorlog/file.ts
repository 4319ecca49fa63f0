import { closeSync, fstatSync } from 'node:fs';
import { openRegular, readRange } from '../files/safe-files.js';
import type { ErrorLogSource } from './locate.js';

/** At most this much of a log is read at once: the lines a reload adds are few; a flood is cut at its start. */
export const MAX_READ_BYTES = 1 << 20;

/** An error log and where it ended when it was marked (before the signal). */
export interface LogMark extends ErrorLogSource {
  /** The root `path` is resolved in ('' here, `/proc/PID/root` for an Apache in a container); null for no file. */
  root: string | null;
  size: number | null;
  inode: number | null;
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'not readable: no such file';
  if (code === 'ELOOP') return 'not readable: too many symlinks';
  if (code === 'EACCES' || code === 'EPERM') return 'not readable: permission denied (run with sudo)';
  return `not readable: ${code ?? (error as Error).message}`;
}

/** Notes where each log ends now, so that only what is written after can be read. */
export function markLogs(sources: ErrorLogSource[], root: string): LogMark[] {
  return sources.map((source) => {
    if (source.path === null) return { ...source, root: null, size: null, inode: null };
    try {
      const { fd, size, ino } = openRegular(root, source.path);
      closeSync(fd);
      return { ...source, root, size, inode: ino };
    } catch (error) {
      // A log that does not exist yet may be created by the reload: read it from its start then.
      return { ...source, root, size: 0, inode: null, reason: describeError(error) };
    }
  });
}

/**
 * What was written to the log since it was marked. A file that was replaced (another inode) or truncated
 * (smaller than the mark) by log rotation is read from its start.
 */
export function readSince(mark: LogMark): { text: string; reason?: string } {
  if (mark.root === null || mark.path === null) return { text: '', reason: mark.reason };
  let fd: number;
  try {
    fd = openRegular(mark.root, mark.path).fd;
  } catch (error) {
    return { text: '', reason: describeError(error) };
  }
  try {
    const stat = fstatSync(fd);
    const rotated = mark.inode !== stat.ino || stat.size < (mark.size ?? 0);
    const from = rotated ? 0 : (mark.size ?? 0);
    const start = Math.max(from, stat.size - MAX_READ_BYTES);
    const text = readRange(fd, start, stat.size).toString('utf8');
    // Cut at the size limit: the first line may be a tail; it starts after the first newline.
    return { text: start > from ? text.slice(text.indexOf('\n') + 1) : text };
  } catch (error) {
    return { text: '', reason: describeError(error) };
  } finally {
    closeSync(fd);
  }
}
