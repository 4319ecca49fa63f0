import { closeSync, fstatSync, readSync } from 'node:fs';
import { openRegular } from '../files/safe-files.js';
import { type LogMark, MAX_READ_BYTES } from './file.js';
import { type LogLine, parseLogText } from './parse.js';

/**
 * The error-log lines written since the marks, read a little more on each call: a reload polls every 50 ms
 * while a busy group's log grows, so only what is new is read. A file replaced or truncated by rotation is
 * read from its start; an unreadable one adds nothing (the evidence is then missing, never invented).
 */
export function createLogTail(marks: LogMark[]): () => LogLine[] {
  const places = marks
    .filter((mark) => mark.root !== null && mark.path !== null)
    .map((mark) => ({
      root: mark.root as string,
      path: mark.path as string,
      offset: mark.size ?? 0,
      inode: mark.inode,
    }));
  const lines: LogLine[] = [];
  return () => {
    for (const place of places) {
      let fd: number;
      try {
        // Inside the instance's root, a regular file only: the log's path comes from its configuration.
        fd = openRegular(place.root, place.path).fd;
      } catch {
        continue;
      }
      try {
        const stat = fstatSync(fd);
        if ((place.inode !== null && place.inode !== stat.ino) || stat.size < place.offset) place.offset = 0;
        place.inode = stat.ino;
        const length = Math.min(stat.size - place.offset, MAX_READ_BYTES);
        if (length <= 0) continue;
        const buffer = Buffer.alloc(length);
        const read = readSync(fd, buffer, 0, length, place.offset);
        // Only whole lines: the rest is read again next time, once its newline is written.
        const end = buffer.subarray(0, read).lastIndexOf(10) + 1;
        if (end === 0) continue;
        lines.push(...parseLogText(buffer.subarray(0, end).toString('utf8'), true));
        place.offset += end;
      } catch {
        // A log that cannot be read now gives no evidence; the reload goes on without it.
      } finally {
        closeSync(fd);
      }
    }
    return lines;
  };
}
