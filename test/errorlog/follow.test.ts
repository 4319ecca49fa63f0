import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FOLLOW_MAX_BYTES, openLog } from '../../src/errorlog/follow.js';

const dir = mkdtempSync(join(tmpdir(), 'wsgictl-follow-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('openLog', () => {
  it('gives the complete lines there now, then what is appended; a line waits for its newline', () => {
    const path = join(dir, 'a.log');
    writeFileSync(path, 'one\ntwo\nhalf');
    const { lines, follower } = openLog('', path);
    assert.deepEqual(lines, ['one', 'two']);
    assert.deepEqual(follower.readNew().lines, []);
    appendFileSync(path, ' done\nthree\n');
    assert.deepEqual(follower.readNew().lines, ['half done', 'three']);
    follower.close();
  });

  it('follows a rotation by rename (the rest of the old file first) and by truncation', () => {
    const path = join(dir, 'b.log');
    writeFileSync(path, 'old 1\n');
    const { follower } = openLog('', path);
    appendFileSync(path, 'old 2\n');
    renameSync(path, `${path}.1`);
    appendFileSync(`${path}.1`, 'old 3\n');
    assert.deepEqual(
      follower.readNew().lines,
      ['old 2', 'old 3'],
      'no new file yet: the old one is still followed',
    );
    writeFileSync(path, 'new 1\n');
    assert.deepEqual(follower.readNew().lines, ['new 1']);
    appendFileSync(path, 'new 2\n');
    assert.deepEqual(follower.readNew().lines, ['new 2']);
    truncateSync(path, 0); // logrotate's copytruncate
    assert.deepEqual(follower.readNew().lines, []);
    appendFileSync(path, 'after\n');
    assert.deepEqual(follower.readNew().lines, ['after']);
    follower.close();
  });

  it('keeps following when ~600 MB appear between two polls, and says how much it skipped', () => {
    const path = join(dir, 'flood.log');
    writeFileSync(path, 'before\n');
    const { follower } = openLog('', path);
    // A sparse file grows by 600 MB at once: one read of it all made a string too long for V8 (finding 9).
    truncateSync(path, 600 << 20);
    appendFileSync(path, '\nlast line\n');
    const started = process.memoryUsage().rss;
    const found = follower.readNew();
    assert.deepEqual(found.lines, ['last line']);
    assert.ok(found.skippedBytes >= (600 << 20) - FOLLOW_MAX_BYTES, `skipped ${found.skippedBytes}`);
    assert.ok(process.memoryUsage().rss - started < 100 << 20, 'memory stays bounded');
    appendFileSync(path, 'and on\n');
    assert.deepEqual(follower.readNew(), { lines: ['and on'], skippedBytes: 0 });
    follower.close();
    rmSync(path);
  });

  it('refuses a FIFO (which would block) and a symlink that leaves the container root', () => {
    const fifo = join(dir, 'fifo.log');
    execFileSync('mkfifo', [fifo]);
    assert.throws(() => openLog('', fifo), { code: 'not a regular file' });
    const root = join(dir, 'container');
    mkdirSync(join(root, 'var/log'), { recursive: true });
    const secret = join(dir, 'host-secret.log');
    writeFileSync(secret, 'HOST SECRET\n');
    symlinkSync(secret, join(root, 'var/log/error.log'));
    // Inside the container the absolute link points at its own (missing) file, not the host's.
    assert.throws(() => openLog(root, '/var/log/error.log'), { code: 'ENOENT' });
    assert.throws(() => openLog(root, `/var/log/../../../..${secret}`), { code: 'ENOENT' });
  });
});
