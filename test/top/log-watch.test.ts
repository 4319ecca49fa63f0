import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  createLogWatch,
  findEventsInText,
  readLocalLineTime,
  TOP_TAIL_BYTES,
} from '../../src/top/log-watch.js';

describe('readLocalLineTime', () => {
  it("reads Apache's stamp as local time, with its microseconds", () => {
    assert.equal(
      readLocalLineTime('[Thu Dec 03 13:10:07.250000 2026] [wsgi:info] [pid 1] x'),
      new Date(2026, 11, 3, 13, 10, 7).getTime() + 250,
    );
    assert.equal(readLocalLineTime('2026-12-03 13:10:07 custom format'), null);
  });
});

describe('createLogWatch', () => {
  it('reads the lifecycle lines already there, then those appended; says why a log cannot be read', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'wsgictl-top-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const log = join(dir, 'error.log');
    const stamp = '[Thu Dec 03 13:10:07.000000 2026]';
    writeFileSync(
      log,
      `${stamp} [wsgi:info] [pid 9:tid 9] Shutdown requested for daemon process 'g'.\n${stamp} [core:notice] [pid 1:tid 1] AH00094: Command line: 'apache2'\n`,
    );
    const watch = createLogWatch('');
    const sources = [{ path: log, written: log }];
    assert.deepEqual(
      watch.eventsOf(sources).events.map((event) => event.kind),
      ['stop'],
    );
    appendFileSync(
      log,
      `${stamp} [wsgi:info] [pid 1:tid 1] Process 'g' (pid=9) terminated normally, exit code 0\n`,
    );
    watch.refresh(0);
    assert.deepEqual(
      watch.eventsOf(sources).events.map((event) => event.kind),
      ['stop', 'death'],
    );
    const missing = watch.eventsOf([{ path: join(dir, 'nope.log'), written: 'nope.log' }]);
    assert.match(missing.unreadable[0] ?? '', /nope\.log cannot be read \(ENOENT\)/);
    const piped = watch.eventsOf([{ path: null, written: '|rotatelogs', reason: 'not readable: piped log' }]);
    assert.deepEqual(piped.unreadable, ['|rotatelogs is not readable: piped log']);
    watch.close();
  });
});

describe('createLogWatch on a log bigger than it reads', () => {
  it('reads its end only, and says from when: no restart before that is known', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'wsgictl-top-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const log = join(dir, 'error.log');
    const old =
      "[Thu Dec 03 10:00:00.000000 2026] [wsgi:info] [pid 1:tid 1] Process 'g' (pid=5) terminated by signal 9\n";
    const filler = '[Thu Dec 03 12:30:00.000000 2026] [core:info] [pid 1:tid 1] filler\n';
    writeFileSync(log, old + filler.repeat(Math.ceil((TOP_TAIL_BYTES * 1.2) / filler.length)));
    const watch = createLogWatch('');
    const read = watch.eventsOf([{ path: log, written: log }]);
    watch.close();
    assert.deepEqual(read.events, []);
    assert.equal(read.readFromMs, new Date(2026, 11, 3, 12, 30, 0).getTime());
  });
});

describe('findEventsInText', () => {
  it('finds the lifecycle lines among others, first and last lines too, without a line split', () => {
    const stamp = '[Thu Dec 03 13:10:07.000000 2026]';
    const text = [
      `${stamp} [wsgi:info] [pid 9:tid 9] Shutdown requested for daemon process 'g'.`,
      `${stamp} [core:info] [pid 1:tid 1] Shutdown requested 'g'.`,
      `${stamp} [wsgi:error] [pid 9:tid 10] [remote 127.0.0.1:5] Traceback (most recent call last):`,
      `${stamp} [wsgi:info] [pid 1:tid 1] mod_wsgi (pid=9): Process 'g' terminated by signal 11`,
    ].join('\n');
    assert.deepEqual(
      findEventsInText(text).map((event) => [event.kind, event.pid]),
      [
        ['stop', 9],
        ['death', 9],
      ],
    );
    assert.deepEqual(findEventsInText(`${text}\n`).length, 2);
  });
});
