import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { markLogs } from '../../src/errorlog/file.js';
import {
  addCheck,
  assertCheckable,
  type PreparedCheck,
  type Probe,
  prepareCheck,
} from '../../src/health/check.js';
import type { CheckTarget } from '../../src/health/targets.js';
import { instanceOfConfig } from '../helpers/apache-config.js';
import { REPO } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wsgictl-check-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const TARGET: CheckTarget = {
  url: 'http://127.0.0.1:8080/shop',
  address: '127.0.0.1',
  port: 8080,
  host: '127.0.0.1:8080',
  path: '/shop',
  tls: false,
};

function answering(status: number | null): Probe {
  return async (target) => ({
    url: target.url,
    address: `${target.address}:${target.port}`,
    status,
    ok: status !== null && status < 500,
    ms: 3,
    ...(status === null ? { error: 'connection refused' } : {}),
  });
}

function prepare(logPath: string): PreparedCheck {
  return {
    group: 'django',
    targets: [TARGET],
    unchecked: [],
    logs: markLogs([{ path: logPath, written: logPath }], ''),
  };
}

const REPLACED = { outcome: 'replaced', oldPids: [5386, 5387], newPids: [5434, 5435] };

describe('addCheck', () => {
  it('a healthy answer: the health entry, no error lines read', async () => {
    const log = join(dir, 'healthy.log');
    writeFileSync(log, '');
    const result = await addCheck(REPLACED, prepare(log), { urls: [], timeoutMs: 1000 }, answering(200));
    assert.deepEqual(
      result.health?.map((h) => [h.status, h.ok]),
      [[200, true]],
    );
    assert.deepEqual(result.errors, []);
  });

  it('a 500: the new daemons’ lines written since the mark, and nothing from before it', async () => {
    const log = join(dir, 'broken.log');
    copyFileSync(`${REPO}/test/fixtures/mod_wsgi/syntax-error-4.9.log`, log);
    const prepared = prepare(log);
    appendFileSync(log, readFileSync(`${REPO}/test/fixtures/mod_wsgi/syntax-error-4.9.log`));
    const result = await addCheck(REPLACED, prepared, { urls: [], timeoutMs: 1000 }, answering(500));
    assert.equal(result.health?.[0]?.ok, false);
    assert.equal(result.errors?.filter((line) => line.endsWith('SyntaxError: invalid syntax')).length, 3);
    assert.equal(
      result.errors?.length,
      27,
      'each error line once: the fixture was appended once after the mark',
    );
    assert.deepEqual(result.errorLogs, [{ path: log, written: log }]);
  });

  it('no log to read: says where it looked', async () => {
    const result = await addCheck(
      REPLACED,
      {
        ...prepare(join(dir, 'none.log')),
        logs: markLogs([{ path: null, written: '|rotatelogs', reason: 'not readable: piped log' }], ''),
      },
      { urls: [], timeoutMs: 1000 },
      answering(null),
    );
    assert.deepEqual(result.errorLogs, [
      { path: null, written: '|rotatelogs', reason: 'not readable: piped log' },
    ]);
    assert.equal(result.health?.[0]?.error, 'connection refused');
  });

  it('a dry run is left alone; --no-wait and --touch without --url are refused', async () => {
    const dry = { outcome: 'dry-run', oldPids: [1], newPids: [] };
    assert.equal(
      await addCheck(dry, prepare(join(dir, 'x.log')), { urls: [], timeoutMs: 1 }, answering(200)),
      dry,
    );
    assert.throws(() => assertCheckable({ wait: false }), /leave out --no-wait/);
    assert.throws(() => assertCheckable({ touch: '/srv/app.wsgi' }), /needs --url/);
  });
});

describe('prepareCheck', () => {
  const instanceOf = (conf: string) => instanceOfConfig(conf, dir, 812);

  it('a group no WSGIScriptAlias serves is refused (exit 2) before anything is sent, saying what to pass', () => {
    const instance = instanceOf(
      'Listen 80\nWSGIDaemonProcess idle\nWSGIScriptAliasMatch ^/x/(.*) /srv/x.wsgi process-group=idle\n',
    );
    assert.throws(() => prepareCheck(instance, 'idle', { urls: [], timeoutMs: 1000 }, []), {
      exitCode: 2,
      message:
        /^--check: nothing to request for "idle" under apache2 \(pid 812\), nothing was sent: WSGIScriptAliasMatch .*a pattern.*; pass --check URL$/,
    });
  });
});
