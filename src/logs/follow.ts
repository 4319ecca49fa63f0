import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

/** How much of a log `logs -n` reads from its end to find the group's last lines. */
export const TAIL_READ_BYTES = 8 << 20;
const CHUNK_BYTES = 1 << 16;

/** A log file followed like `tail -F`: by name, across rotation (replaced or truncated). */
export interface Follower {
  /** Complete lines written since the last call; a line still being written waits for its newline. */
  readNew(): string[];
  close(): void;
}

function readRange(fd: number, from: number, to: number): Buffer {
  const buffer = Buffer.alloc(Math.max(0, to - from));
  let done = 0;
  while (done < buffer.length) {
    const read = readSync(fd, buffer, done, Math.min(CHUNK_BYTES, buffer.length - done), from + done);
    if (read === 0) break;
    done += read;
  }
  return buffer.subarray(0, done);
}

/**
 * The last TAIL_READ_BYTES of the file as complete lines (the first, probably cut, is dropped unless the
 * read reached the start), and a follower that goes on from there.
 */
export function openLog(hostPath: string): { lines: string[]; follower: Follower } {
  let fd = openSync(hostPath, 'r');
  let inode = fstatSync(fd).ino;
  const end = fstatSync(fd).size;
  const start = Math.max(0, end - TAIL_READ_BYTES);
  let text = readRange(fd, start, end).toString('utf8');
  if (start > 0) text = text.slice(text.indexOf('\n') + 1);
  const cut = text.lastIndexOf('\n') + 1;
  let offset = end - Buffer.byteLength(text.slice(cut));
  const lines = text.slice(0, cut).split('\n').filter(Boolean);

  /** Complete lines from `offset` to the file's end now; `offset` moves past the last newline. */
  const drain = (): string[] => {
    const size = fstatSync(fd).size;
    if (size < offset) offset = 0; // truncated in place (copytruncate): what is there now is new
    const chunk = readRange(fd, offset, size);
    const last = chunk.lastIndexOf(10);
    if (last === -1) return [];
    offset += last + 1;
    return chunk
      .subarray(0, last + 1)
      .toString('utf8')
      .split('\n')
      .filter(Boolean);
  };

  const follower: Follower = {
    readNew() {
      const lines = drain();
      let now: number | null = null;
      try {
        now = statSync(hostPath).ino;
      } catch {
        return lines; // between the rename and the new file's creation: the old one is still ours
      }
      if (now === inode) return lines;
      // Replaced (logrotate's create, rotatelogs): the rest of the old file, then the new one from its start.
      closeSync(fd);
      fd = openSync(hostPath, 'r');
      inode = fstatSync(fd).ino;
      offset = 0;
      return [...lines, ...drain()];
    },
    close: () => closeSync(fd),
  };
  return { lines, follower };
}
