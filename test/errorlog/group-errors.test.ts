import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { addCrashErrors, markGroupLogs } from '../../src/errorlog/group-errors.js';
import { instanceOfConfig } from '../helpers/apache-config.js';
import { REPO } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wsgictl-errors-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const instanceOf = (conf: string) => instanceOfConfig(conf, dir, 6245);

describe('markGroupLogs', () => {
  it('marks where the group’s error log ends now, relative to ServerRoot', () => {
    writeFileSync(join(dir, 'error_log.test'), 'twelve bytes');
    const marks = markGroupLogs(
      instanceOf('ErrorLog error_log.test\nWSGIScriptAlias / /srv/a.wsgi process-group=a\n'),
      'a',
    );
    assert.deepEqual(
      marks.map((log) => [log.path, log.size]),
      [[join(dir, 'error_log.test'), 12]],
    );
  });
});

describe('addCrashErrors (a recorded crash loop: a segfault at import, mod_wsgi 4.9)', () => {
  it('the deaths of the daemons that came up and died, not the old daemons’ clean exits', async () => {
    const log = join(dir, 'crash.log');
    writeFileSync(log, '');
    const instance = instanceOf(
      `ErrorLog ${log}\nWSGIScriptAlias /shop /srv/shop.wsgi process-group=django\n`,
    );
    const marks = markGroupLogs(instance, 'django');
    appendFileSync(log, readFileSync(`${REPO}/test/fixtures/mod_wsgi/crash-loop-segfault-4.9.log`));
    const result = await addCrashErrors(
      {
        group: 'django',
        oldPids: [6246, 6247],
        newPids: [6483, 6484],
        crashLoop: { restarts: 2, pids: [6306, 6307] },
      },
      marks,
    );
    const messages = (result.errors ?? []).map((line) => line.replace(/^.*\] /, ''));
    assert.deepEqual(messages, [
      'AH00052: child pid 6306 exit signal Segmentation fault (11)',
      "mod_wsgi (pid=6306): Process 'django' terminated by signal 11",
      'AH00052: child pid 6307 exit signal Segmentation fault (11)',
      "mod_wsgi (pid=6307): Process 'django' terminated by signal 11",
      "mod_wsgi (pid=6393): Process 'django' terminated by signal 11",
      "mod_wsgi (pid=6394): Process 'django' terminated by signal 11",
      'AH00052: child pid 6483 exit signal Segmentation fault (11)',
      "mod_wsgi (pid=6483): Process 'django' terminated by signal 11",
      ...messages.slice(8),
    ]);
    assert.ok(
      !messages.some((m) => m.includes('exit code 0')),
      'the replaced daemons’ clean exits are no news',
    );
  });
});
