import assert from 'node:assert/strict';
import {
  appendFileSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { LogMark } from '../../src/errorlog/file.js';
import { createLogTail } from '../../src/errorlog/tail.js';

const dir = mkdtempSync(join(tmpdir(), 'wsgictl-tail-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const line = (pid: number, text: string) =>
  `[Mon Nov 23 09:06:01 2026] [wsgi:info] [pid ${pid}:tid ${pid}] ${text}\n`;

/** A mark at the file's end now, as a reload takes it before the signal. */
function markOf(path: string): LogMark {
  const stat = statSync(path);
  return { root: '', path, size: stat.size, inode: stat.ino } as unknown as LogMark;
}

describe('createLogTail', () => {
  it('gives only the lines appended after the mark, each once, and keeps them across calls', () => {
    const path = join(dir, 'append.log');
    writeFileSync(path, line(1, 'before'));
    const tail = createLogTail([markOf(path)]);
    assert.deepEqual(tail(), []);
    appendFileSync(path, line(2, 'first'));
    assert.deepEqual(
      tail().map((l) => l.message),
      ['first'],
    );
    appendFileSync(path, line(3, 'second'));
    assert.deepEqual(
      tail().map((l) => l.pid),
      [2, 3],
    );
  });

  it('waits for the newline of a half-written line', () => {
    const path = join(dir, 'partial.log');
    writeFileSync(path, '');
    const tail = createLogTail([markOf(path)]);
    appendFileSync(path, '[x] [wsgi:error] [pid 4:tid 4] half');
    assert.deepEqual(tail(), []);
    appendFileSync(path, ' done\n');
    assert.deepEqual(
      tail().map((l) => l.message),
      ['half done'],
    );
  });

  it('reads a rotated (replaced) file from its start', () => {
    const path = join(dir, 'rotate.log');
    writeFileSync(path, line(1, 'old one').repeat(5));
    const tail = createLogTail([markOf(path)]);
    renameSync(path, `${path}.1`);
    writeFileSync(path, line(9, 'new file'));
    assert.deepEqual(
      tail().map((l) => l.message),
      ['new file'],
    );
  });

  it('reads a truncated file from its start', () => {
    const path = join(dir, 'truncate.log');
    writeFileSync(path, line(1, 'old').repeat(5));
    const tail = createLogTail([markOf(path)]);
    truncateSync(path, 0);
    appendFileSync(path, line(8, 'after truncation'));
    assert.deepEqual(
      tail().map((l) => l.message),
      ['after truncation'],
    );
  });

  it('adds nothing for a missing file, a mark without a file, or a FIFO-free non-file', () => {
    const missing = { root: '', path: join(dir, 'missing.log'), size: 0, inode: null } as unknown as LogMark;
    const none = { root: null, path: null, size: null, inode: null } as unknown as LogMark;
    const folder = { root: '', path: dir, size: 0, inode: null } as unknown as LogMark;
    assert.deepEqual(createLogTail([missing, none, folder])(), []);
  });

  it('reads a mark with no size from the start', () => {
    const path = join(dir, 'fresh.log');
    writeFileSync(path, line(5, 'all of it'));
    const tail = createLogTail([{ root: '', path, size: null, inode: null } as unknown as LogMark]);
    assert.deepEqual(
      tail().map((l) => l.message),
      ['all of it'],
    );
  });
});
