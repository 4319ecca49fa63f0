import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type GroupLogPlace, openGroupLogs, readLineTime } from '../../src/errorlog/group.js';
import type { ApacheInstance } from '../../src/groups/instance.js';
import { REPO } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wsgictl-group-logs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function placeOf(paths: string[], pids: number[] = []): GroupLogPlace {
  return {
    instance: { fileRoot: '' } as ApacheInstance,
    sources: paths.map((path) => ({ path, written: path })),
    pids,
  };
}

describe('openGroupLogs', () => {
  it('learns the daemons from their own lines, so their tracebacks count though those name no group', () => {
    const log = join(dir, 'recorded.log');
    copyFileSync(`${REPO}/test/fixtures/mod_wsgi/syntax-error-4.9.log`, log);
    const session = openGroupLogs(placeOf([log]), 'django', 1000);
    assert.ok(session.lines.some((line) => line.endsWith('[pid 5434:tid 5434] SyntaxError: invalid syntax')));
    assert.ok(
      session.lines.some((line) => line.includes("Process 'django' has died")),
      'the parent about the group',
    );
    assert.ok(!session.lines.some((line) => line.includes('AH10159')), 'not the parent’s other lines');
    session.close();
  });

  it('-n: the last lines of several logs in time order; new lines as they come; syslog named as unreadable', () => {
    const main = join(dir, 'main.log');
    const vhost = join(dir, 'vhost.log');
    writeFileSync(
      main,
      '[Mon Nov 23 09:00:01.000000 2026] [wsgi:error] [pid 7:tid 7] first\n[Mon Nov 23 09:00:03.000000 2026] [wsgi:error] [pid 7:tid 7] third\n',
    );
    writeFileSync(
      vhost,
      '[Mon Nov 23 09:00:02.500000 2026] [wsgi:error] [pid 7:tid 8] [remote 127.0.0.1:5] second\n',
    );
    const place = placeOf([main, vhost], [7]);
    place.sources.push({ path: null, written: 'syslog', reason: 'not readable: syslog' });
    const session = openGroupLogs(place, 'django', 2);
    assert.deepEqual(
      session.lines.map((line) => line.replace(/^.*\] /, '')),
      ['second', 'third'],
    );
    assert.deepEqual(session.unreadable, [{ written: 'syslog', reason: 'not readable: syslog' }]);
    writeFileSync(vhost, '[Mon Nov 23 09:00:04.000000 2026] [wsgi:error] [pid 9:tid 9] someone else\n', {
      flag: 'a',
    });
    assert.deepEqual(session.readNew(), []);
    session.addPids([9]);
    writeFileSync(vhost, '[Mon Nov 23 09:00:05.000000 2026] [wsgi:error] [pid 9:tid 9] a new daemon\n', {
      flag: 'a',
    });
    assert.deepEqual(
      session.readNew().map((line) => line.replace(/^.*\] /, '')),
      ['a new daemon'],
    );
    session.close();
  });

  it('no readable log at all: exit 1, saying where it looked', () => {
    assert.throws(() => openGroupLogs(placeOf([join(dir, 'missing.log')]), 'django', 10), {
      exitCode: 1,
      message: /no error log of "django" can be read: looked at .*missing\.log \(not readable: ENOENT\)/,
    });
  });
});

describe('readLineTime', () => {
  it('reads Apache’s time with its microseconds', () => {
    assert.equal(
      readLineTime('[Mon Nov 23 09:06:02.825524 2026] [wsgi:error] x'),
      Date.UTC(2026, 10, 23, 9, 6, 2) + 825.524,
    );
    assert.equal(readLineTime('Traceback'), null);
  });
});
