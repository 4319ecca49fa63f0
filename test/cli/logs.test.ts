import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { apacheSkipReason, useSandbox, waitFor } from '../helpers/apache.js';
import { createImportingApp, waitForEveryDaemon } from '../helpers/app.js';
import { REPO, runCli } from '../helpers/cli.js';
import { lifecyclePattern } from '../helpers/wording.js';

const skip = apacheSkipReason();

describe('wsgictl logs against a real Apache', { skip, timeout: 120_000 }, () => {
  it('-n: the group’s lines with its traceback, no other group’s; -f follows across a rotation', async (t) => {
    const app = createImportingApp(t);
    const sandbox = await useSandbox(t, {
      groups: [
        { name: 'django', processes: 2 },
        { name: 'other', processes: 1 },
      ],
      extraConfig: app.mount('django'),
    });
    const instance = ['--instance', String(sandbox.pid)];
    await waitForEveryDaemon(sandbox, 'django', 2);
    app.breakModule();
    assert.equal((await runCli(['reload', 'django', '--no-preflight', ...instance])).code, 0);

    const last = await runCli(['logs', 'django', '-n', '200', ...instance]);
    assert.equal(last.code, 0, last.stderr);
    assert.match(last.stdout, /\[wsgi:error\] \[pid \d+:tid \d+\] SyntaxError: invalid syntax/);
    assert.match(last.stdout, /File ".*appmod\.py", line 1/);
    assert.match(last.stdout, lifecyclePattern(sandbox.wsgiVersion, 'start', 'django'));
    assert.doesNotMatch(last.stdout, /'other'/);
    const three = await runCli(['logs', 'django', '-n', '3', ...instance]);
    assert.equal(three.stdout.trimEnd().split('\n').length, 3);

    const follow = spawn(
      process.execPath,
      [join(REPO, 'bin/wsgictl.js'), 'logs', 'django', '-f', '-n', '1', ...instance],
      {
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    follow.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const exited = new Promise<number | null>((resolve) => follow.on('exit', (code) => resolve(code)));
    t.after(async () => {
      if (follow.exitCode === null && follow.signalCode === null) follow.kill('SIGKILL');
      await exited;
    });
    // Its one last line says it has opened the log: what comes next is new.
    await waitFor('the follower’s first line', () => out.endsWith('\n'), 10_000);
    app.fixModule();
    assert.equal((await runCli(['reload', 'django', ...instance])).code, 0);
    await waitFor(
      'the reload’s lines',
      () => lifecyclePattern(sandbox.wsgiVersion, 'shutdown', 'django').test(out),
      10_000,
    );
    assert.doesNotMatch(out, /'other'/);

    // logrotate's way: rename, then a graceful restart makes Apache open a new error.log.
    renameSync(sandbox.errorLog, `${sandbox.errorLog}.1`);
    const before = out.length;
    process.kill(sandbox.pid, 'SIGUSR1');
    await waitFor(
      'lines from the new log',
      () => lifecyclePattern(sandbox.wsgiVersion, 'start', 'django').test(out.slice(before)),
      15_000,
    );

    follow.kill('SIGINT');
    assert.equal(await exited, 130);
  });

  it('a group no instance has: exit 3, naming the groups there are', async (t) => {
    const sandbox = await useSandbox(t, { groups: [{ name: 'django' }] });
    const result = await runCli(['logs', 'djang', '--instance', String(sandbox.pid)]);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /no group "djang" .*groups are django/);
  });
});
