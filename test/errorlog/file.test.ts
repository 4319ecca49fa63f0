import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { markLogs, readSince } from '../../src/errorlog/file.js';

const dir = mkdtempSync(join(tmpdir(), 'wsgictl-logfile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function source(name: string) {
  const path = join(dir, name);
  return { path, written: path };
}

describe('markLogs and readSince', () => {
  it('reads only what was written after the mark', () => {
    const log = source('a.log');
    writeFileSync(log.path, 'old 1\nold 2\n');
    const [mark] = markLogs([log], '');
    appendFileSync(log.path, 'new 1\n');
    assert.deepEqual(readSince(mark as never), { text: 'new 1\n' });
  });

  it('reads a rotated log from its start: replaced by a new file, or truncated', () => {
    const log = source('b.log');
    writeFileSync(log.path, 'before rotation, quite a long line\n');
    const [mark] = markLogs([log], '');
    renameSync(log.path, `${log.path}.1`);
    writeFileSync(log.path, 'after\n');
    assert.equal(readSince(mark as never).text, 'after\n');
    const [again] = markLogs([log], '');
    writeFileSync(log.path, '');
    appendFileSync(log.path, 'x\n');
    assert.equal(readSince(again as never).text, 'x\n');
  });

  it('a log that does not exist yet is read from its start once it does; syslog says why not', () => {
    const log = source('later.log');
    const [mark] = markLogs([log, { path: null, written: 'syslog', reason: 'not readable: syslog' }], '');
    assert.equal(mark?.reason, 'not readable: no such file');
    writeFileSync(log.path, 'first\n');
    assert.equal(readSince(mark as never).text, 'first\n');
    const [, syslog] = markLogs([log, { path: null, written: 'syslog', reason: 'not readable: syslog' }], '');
    assert.deepEqual(readSince(syslog as never), { text: '', reason: 'not readable: syslog' });
  });
});
