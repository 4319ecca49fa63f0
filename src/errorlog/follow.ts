import { closeSync, fstatSync } from 'node:fs';
import { openRegular, readRange, statInside } from '../files/safe-files.js';

/** How much of a log `logs -n` reads from its end to find the group's last lines. */
export const TAIL_READ_BYTES = 8 << 20;
/** One read; a poll reads at most FOLLOW_MAX_BYTES, so a flood never makes a string too long for V8. */
const CHUNK_BYTES = 1 << 20;
/** More than this written between two polls: the start of it is skipped, and the follower says how much. */
export const FOLLOW_MAX_BYTES = 8 << 20;

/** What one poll found: complete lines, and how many bytes written since the last poll were not read. */
export interface NewLines {
  lines: string[];
  skippedBytes: number;
}

/** A log file followed like `tail -F`: by name, across rotation (replaced or truncated). */
export interface Follower {
  /** Complete lines written since the last call; a line still being written waits for its newline. */
  readNew(): NewLines;
  close(): void;
}

/** Complete lines of a buffer that starts at a line's start; the byte count up to the last newline. */
function splitComplete(chunk: Buffer): { lines: string[]; used: number } {
  const last = chunk.lastIndexOf(10);
  if (last === -1) return { lines: [], used: 0 };
  const lines = chunk
    .subarray(0, last + 1)
    .toString('utf8')
    .split('\n')
    .filter(Boolean);
  return { lines, used: last + 1 };
}

/**
 * The last `tailBytes` (TAIL_READ_BYTES) of the file as complete lines (the first, probably cut, is dropped unless the
 * read reached the start), and a follower that goes on from there. `path` is resolved inside `root` and
 * must be a regular file (safe-files.ts): a FIFO or a link out of a container is refused.
 */
export function openLog(
  root: string,
  path: string,
  tailBytes = TAIL_READ_BYTES,
): { lines: string[]; follower: Follower } {
  let { fd, ino: inode } = openRegular(root, path);
  const end = fstatSync(fd).size;
  const start = Math.max(0, end - tailBytes);
  let text = readRange(fd, start, end, CHUNK_BYTES).toString('utf8');
  if (start > 0) text = text.slice(text.indexOf('\n') + 1);
  const cut = text.lastIndexOf('\n') + 1;
  let offset = end - Buffer.byteLength(text.slice(cut));
  const lines = text.slice(0, cut).split('\n').filter(Boolean);

  /** Complete lines from `offset` to the file's end now (its last FOLLOW_MAX_BYTES at most). */
  const drain = (): NewLines => {
    const size = fstatSync(fd).size;
    if (size < offset) offset = 0; // truncated in place (copytruncate): what is there now is new
    let skippedBytes = 0;
    let from = offset;
    if (size - offset > FOLLOW_MAX_BYTES) {
      from = size - FOLLOW_MAX_BYTES;
      skippedBytes = from - offset;
    }
    const chunk = readRange(fd, from, size, CHUNK_BYTES);
    // After a skip the first line is cut: it starts after the first newline.
    const head = skippedBytes > 0 ? chunk.indexOf(10) + 1 : 0;
    const { lines, used } = splitComplete(chunk.subarray(head));
    if (skippedBytes > 0) {
      skippedBytes += head;
      offset = from + head + used;
    } else offset += used;
    return { lines, skippedBytes };
  };

  const follower: Follower = {
    readNew() {
      const found = drain();
      let now: string | null = null;
      try {
        now = statInside(root, path).id.split(':')[1] ?? null;
      } catch {
        return found; // between the rename and the new file's creation: the old one is still ours
      }
      if (now === String(inode)) return found;
      // Replaced (logrotate's create, rotatelogs): the rest of the old file, then the new one from its start.
      let next: { fd: number; ino: number };
      try {
        next = openRegular(root, path);
      } catch {
        return found; // replaced by what is no regular file: keep the old one
      }
      closeSync(fd);
      ({ fd, ino: inode } = next);
      offset = 0;
      const rest = drain();
      return { lines: [...found.lines, ...rest.lines], skippedBytes: found.skippedBytes + rest.skippedBytes };
    },
    close: () => closeSync(fd),
  };
  return { lines, follower };
}
