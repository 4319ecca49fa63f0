import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GroupReloadResult } from '../../src/reload/types.js';
import { findFreePort } from '../../src/sandbox/apache.js';
import { apacheSkipReason, useSandbox } from '../helpers/apache.js';
import { createImportingApp, waitForEveryDaemon } from '../helpers/app.js';
import { runCli } from '../helpers/cli.js';
import { lifecyclePattern } from '../helpers/wording.js';

const skip = apacheSkipReason();

describe('reload --check against a real Apache whose app imports a module', { skip }, () => {
  it('healthy: exit 0; a SyntaxError: exit 1 with the traceback naming the file; fixed: exit 0 again', async (t) => {
    const app = createImportingApp(t);
    const sandbox = await useSandbox(t, {
      groups: [{ name: 'django', processes: 2 }],
      extraConfig: app.mount('django'),
    });
    const reload = (...more: string[]) =>
      runCli(['reload', 'django', '--check', '--instance', String(sandbox.pid), ...more]);

    const healthy = await reload();
    assert.equal(healthy.code, 0, healthy.stderr);
    assert.match(
      healthy.stdout,
      new RegExp(`answered GET http://127\\.0\\.0\\.1:${sandbox.port}/django -> 200`),
    );
    assert.match(
      healthy.stdout,
      new RegExp(`answered GET http://127\\.0\\.0\\.1:${sandbox.port}/shop -> 200`),
    );

    app.breakModule();
    // The pre-flight would refuse this release: the point here is what the check says once it is live.
    const broken = await reload('--no-preflight');
    assert.equal(broken.code, 1, broken.stdout + broken.stderr);
    assert.match(broken.stdout, /replaced in/, 'the reload itself worked');
    assert.match(
      broken.stdout,
      new RegExp(`failed GET http://127\\.0\\.0\\.1:${sandbox.port}/shop -> 500 Internal Server Error`),
    );
    assert.match(broken.stdout, /File ".*appmod\.py", line 1/);
    assert.match(broken.stdout, /def hello\(:/);
    assert.match(broken.stdout, /SyntaxError: invalid syntax/);
    assert.match(
      broken.stderr,
      /"django" \(Apache pid \d+\) was reloaded, but its app does not answer: GET .*\/shop -> 500/,
    );
    assert.doesNotMatch(broken.stdout, /Starting (?:daemon )?process/, 'info lines are left out');

    const json = await reload('--json', '--no-preflight');
    assert.equal(json.code, 1);
    const [result] = JSON.parse(json.stdout) as GroupReloadResult[];
    const shop = result?.health?.find((entry) => entry.url.endsWith('/shop'));
    assert.deepEqual([shop?.status, shop?.ok], [500, false]);
    assert.ok(result?.errors?.some((line) => /\[pid \d+:tid \d+\].*SyntaxError: invalid syntax$/.test(line)));
    assert.ok(
      result?.errors?.every((line) => result.newPids.some((pid) => line.includes(`[pid ${pid}:`))),
      'only the new daemons’ lines',
    );

    app.fixModule();
    const fixed = await reload();
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
    assert.doesNotMatch(fixed.stdout, /SyntaxError/);
  });

  it('a virtual host whose ErrorLog is piped: the check says it could not read it', async (t) => {
    const app = createImportingApp(t);
    const port = await findFreePort();
    const sandbox = await useSandbox(t, {
      port,
      groups: [{ name: 'django', processes: 1 }],
      extraConfig: [
        `<VirtualHost 127.0.0.1:${port}>`,
        '  ServerName shop.test',
        '  ErrorLog "|/bin/cat >/dev/null"',
        app.mount('django'),
        '</VirtualHost>',
      ].join('\n'),
    });
    app.breakModule();
    const result = await runCli([
      'reload',
      'django',
      '--check',
      '--no-preflight',
      '--instance',
      String(sandbox.pid),
    ]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`failed GET http://shop\\.test:${port}/shop \\(via 127\\.0\\.0\\.1:${port}\\) -> 500`),
    );
    assert.match(result.stdout, /\|\/bin\/cat >\/dev\/null \(not readable: piped log\)/);
  });
});

describe('reload of a group whose new daemons crash as they start', { skip }, () => {
  it('stops waiting early: "crash-looping: N restarts", the log lines of the deaths, exit 1', async (t) => {
    const app = createImportingApp(t);
    const sandbox = await useSandbox(t, {
      groups: [{ name: 'django', processes: 2 }],
      extraConfig: app.mount('django'),
    });
    await waitForEveryDaemon(sandbox, 'django', 2);
    app.crashModule();
    const started = Date.now();
    const result = await runCli(['reload', 'django', '--instance', String(sandbox.pid)]);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.ok(seconds < 10, `gave up after ${seconds}s, not at the 30s timeout`);
    assert.match(result.stdout, /group django is crash-looping: \d+ restarts in \d+\.\d\ds/);
    assert.match(result.stdout, /AH00052: child pid \d+ exit signal Segmentation fault \(11\)/);
    assert.match(result.stdout, lifecyclePattern(sandbox.wsgiVersion, 'fault', 'django', { signal: 11 }));
    assert.match(result.stderr, /group django is crash-looping: .*its new daemons die as they start/);

    // The parent goes on re-creating the daemons: once fixed, they stay up, and a reload finds them.
    app.fixModule();
    await waitForEveryDaemon(sandbox, 'django', 2);
    const fixed = await runCli(['reload', 'django', '--check', '--instance', String(sandbox.pid)]);
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
  });
});
