import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ApacheInstance } from '../../src/groups/instance.js';
import { createProcessSource } from '../../src/processes/index.js';
import type { ProcessInfo } from '../../src/processes/types.js';
import type { GroupPlan } from '../../src/reload/plan.js';
import { touchAndConfirm, touchScript } from '../../src/reload/touch.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wsgictl-touch-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function scriptFile(name: string, mtime = new Date('2020-01-01T00:00:00Z')): string {
  const path = join(dir, name);
  writeFileSync(path, 'application = None\n');
  utimesSync(path, mtime, mtime);
  return path;
}

describe('touchScript (real files in a temp dir)', () => {
  it("sets the script's mtime to the time given, and to now by default", () => {
    const path = scriptFile('app.wsgi');
    const at = new Date('2026-03-04T05:06:07Z');
    touchScript(path, at);
    assert.equal(statSync(path).mtimeMs, at.getTime());
    const before = Date.now();
    touchScript(path);
    assert.ok(statSync(path).mtimeMs >= before - 1000);
  });

  it('is a usage error (exit 2) for a missing file or a path through a file', () => {
    for (const path of [join(dir, 'nope.wsgi'), join(scriptFile('plain'), 'below.wsgi')])
      assert.throws(() => touchScript(path), {
        code: 'USAGE',
        exitCode: 2,
        message: `no WSGI script at ${path}: pass the file named by WSGIScriptAlias`,
      });
  });

  it('is a permission error (exit 4) for a file the caller may not change', {
    skip: userInfo().uid === 0 && 'runs as root, who may change any file',
  }, () => {
    const path = scriptFile('locked.wsgi');
    chmodSync(path, 0o444);
    chmodSync(dir, 0o555);
    try {
      assert.throws(() => touchScript(path, new Date()), { code: 'PERMISSION', exitCode: 4 });
    } finally {
      chmodSync(dir, 0o755);
    }
  });
});

/** A plan for one group of one instance; touchAndConfirm reads only the parent's pid and the targets here. */
function planOf(targets: number[]): GroupPlan {
  const processOf = (pid: number) => ({ pid }) as ProcessInfo;
  return {
    instance: { parent: processOf(812) } as ApacheInstance,
    group: 'django',
    targets: targets.map(processOf),
    skipped: [],
  };
}

describe('touchAndConfirm without waiting for replacements', () => {
  const source = createProcessSource();

  it('touches nothing on a dry run and plans each target', async () => {
    const path = scriptFile('dry.wsgi');
    const mtime = statSync(path).mtimeMs;
    const results = await touchAndConfirm(source, [planOf([900, 901])], {
      groups: ['django'],
      touch: path,
      timeoutMs: 1000,
      dryRun: true,
    });
    assert.equal(statSync(path).mtimeMs, mtime);
    assert.deepEqual(
      results.map((result) => [result.instance, result.group, result.signal, result.outcome, result.oldPids]),
      [[812, 'django', 'touch', 'dry-run', [900, 901]]],
    );
  });

  it('without a URL touches the script once and reports every target signalled', async () => {
    const path = scriptFile('touched.wsgi');
    const results = await touchAndConfirm(source, [planOf([900]), planOf([910, 911])], {
      groups: ['django'],
      touch: path,
      timeoutMs: 1000,
    });
    assert.ok(statSync(path).mtimeMs > new Date('2021-01-01').getTime());
    assert.deepEqual(
      results.map((result) => [
        result.outcome,
        result.members.map((member) => `${member.pid} ${member.state}`),
      ]),
      [
        ['touched', ['900 signalled']],
        ['touched', ['910 signalled', '911 signalled']],
      ],
    );
  });

  it('with a URL nothing answers: the script is touched, and the failure names both', async () => {
    const path = scriptFile('url.wsgi');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const url = `http://127.0.0.1:${port}/`;
    await assert.rejects(
      touchAndConfirm(source, [planOf([900])], { groups: ['django'], touch: path, timeoutMs: 1000, url }),
      (error: Error & { code?: string; exitCode?: number }) => {
        assert.equal(error.code, 'FAILED');
        assert.equal(error.exitCode, 1);
        assert.match(error.message, new RegExp(`^touched ${path}, but GET ${url} failed: .*ECONNREFUSED`));
        return true;
      },
    );
    assert.ok(statSync(path).mtimeMs > new Date('2021-01-01').getTime());
  });
});
