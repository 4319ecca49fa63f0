import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openLog } from '../../src/logs/follow.js';

const dir = mkdtempSync(join(tmpdir(), 'wsgictl-follow-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('openLog', () => {
  it('gives the complete lines there now, then what is appended; a line waits for its newline', () => {
    const path = join(dir, 'a.log');
    writeFileSync(path, 'one\ntwo\nhalf');
    const { lines, follower } = openLog(path);
    assert.deepEqual(lines, ['one', 'two']);
    assert.deepEqual(follower.readNew(), []);
    appendFileSync(path, ' done\nthree\n');
    assert.deepEqual(follower.readNew(), ['half done', 'three']);
    follower.close();
  });

  it('follows a rotation by rename (the rest of the old file first) and by truncation', () => {
    const path = join(dir, 'b.log');
    writeFileSync(path, 'old 1\n');
    const { follower } = openLog(path);
    appendFileSync(path, 'old 2\n');
    renameSync(path, `${path}.1`);
    appendFileSync(`${path}.1`, 'old 3\n');
    assert.deepEqual(
      follower.readNew(),
      ['old 2', 'old 3'],
      'no new file yet: the old one is still followed',
    );
    writeFileSync(path, 'new 1\n');
    assert.deepEqual(follower.readNew(), ['new 1']);
    appendFileSync(path, 'new 2\n');
    assert.deepEqual(follower.readNew(), ['new 2']);
    truncateSync(path, 0); // logrotate's copytruncate
    assert.deepEqual(follower.readNew(), []);
    appendFileSync(path, 'after\n');
    assert.deepEqual(follower.readNew(), ['after']);
    follower.close();
  });
});
