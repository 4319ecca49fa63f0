import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { ErrorLogSource } from '../apache/logs.js';

/** At most this much of a log is read at once: the lines a reload adds are few; a flood is cut at its start. */
export const MAX_READ_BYTES = 1 << 20;

/** An error log and where it ended when it was marked (before the signal). */
export interface LogMark extends ErrorLogSource {
  /** Where the file is reached from here (`/proc/PID/root` in front for an Apache in a container). */
  hostPath: string | null;
  size: number | null;
  inode: number | null;
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'not readable: no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'not readable: permission denied (run with sudo)';
  return `not readable: ${code ?? (error as Error).message}`;
}

/** Notes where each log ends now, so that only what is written after can be read. */
export function markLogs(sources: ErrorLogSource[], root: string): LogMark[] {
  return sources.map((source) => {
    if (source.path === null) return { ...source, hostPath: null, size: null, inode: null };
    const hostPath = `${root}${source.path}`;
    try {
      const stat = statSync(hostPath);
      return { ...source, hostPath, size: stat.size, inode: stat.ino };
    } catch (error) {
      // A log that does not exist yet may be created by the reload: read it from its start then.
      return { ...source, hostPath, size: 0, inode: null, reason: describeError(error) };
    }
  });
}

/**
 * What was written to the log since it was marked. A file that was replaced (another inode) or truncated
 * (smaller than the mark) by log rotation is read from its start.
 */
export function readSince(mark: LogMark): { text: string; reason?: string } {
  if (mark.hostPath === null) return { text: '', reason: mark.reason };
  let fd: number;
  try {
    fd = openSync(mark.hostPath, 'r');
  } catch (error) {
    return { text: '', reason: describeError(error) };
  }
  try {
    const stat = fstatSync(fd);
    const rotated = mark.inode !== stat.ino || stat.size < (mark.size ?? 0);
    const from = rotated ? 0 : (mark.size ?? 0);
    const start = Math.max(from, stat.size - MAX_READ_BYTES);
    const buffer = Buffer.alloc(stat.size - start);
    const read = readSync(fd, buffer, 0, buffer.length, start);
    const text = buffer.subarray(0, read).toString('utf8');
    // Cut at the size limit: the first line may be a tail; it starts after the first newline.
    return { text: start > from ? text.slice(text.indexOf('\n') + 1) : text };
  } catch (error) {
    return { text: '', reason: describeError(error) };
  } finally {
    closeSync(fd);
  }
}
