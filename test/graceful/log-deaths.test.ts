import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { markLogs } from '../../src/errorlog/file.js';
import { readLoggedEnds } from '../../src/graceful/log-deaths.js';

const dir = mkdtempSync(join(tmpdir(), 'wsgictl-graceful-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const STAMP = '[Thu Dec 03 13:17:42.628781 2026]';

describe('readLoggedEnds', () => {
  it("finds the group's daemons the parent says ended (4.x and 6.x), not old ones, and a new daemon's crit line", () => {
    const path = join(dir, 'error.log');
    writeFileSync(
      path,
      `${STAMP} [wsgi:info] [pid 10:tid 10] mod_wsgi (pid=5): Process 'beta' terminated by signal 1\n`,
    );
    const marks = markLogs([{ path, written: path }], '');
    appendFileSync(
      path,
      [
        `${STAMP} [wsgi:info] [pid 10:tid 10] mod_wsgi (pid=21): Process 'beta' terminated by signal 1`,
        `${STAMP} [wsgi:info] [pid 10:tid 10] Process 'beta' (pid=22) terminated by signal 11`,
        `${STAMP} [wsgi:info] [pid 10:tid 10] Process 'beta' (pid=23) has died; deregistering and restarting it.`,
        `${STAMP} [wsgi:info] [pid 10:tid 10] Process 'betamax' (pid=30) terminated by signal 11`,
        `${STAMP} [wsgi:info] [pid 10:tid 10] Process 'beta' (pid=9) terminated normally, exit code 0`,
        `${STAMP} [wsgi:warn] [pid 22:tid 22] (2)No such file or directory: WSGI0100: Unable to stat Python home '/nope'`,
        `${STAMP} [wsgi:crit] [pid 31:tid 31] WSGI0028: Python initialisation failed in daemon process 'other'`,
        `${STAMP} [wsgi:crit] [pid 22:tid 22] WSGI0028: Python initialisation failed in daemon process 'beta'`,
        '',
      ].join('\n'),
    );
    const ends = readLoggedEnds(marks, 'beta', [22], new Set([9]));
    assert.deepEqual(ends.deaths.sort(), [21, 22, 23]);
    assert.match(
      ends.fatal ?? '',
      /\[pid 22:tid 22\] WSGI0028: Python initialisation failed in daemon process 'beta'$/,
    );
    assert.equal(readLoggedEnds(marks, 'beta', [99], new Set()).fatal, null);
  });
});
