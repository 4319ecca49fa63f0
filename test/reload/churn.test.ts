import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { apacheSkipReason, useSandbox, waitFor } from '../helpers/apache.js';
import { createImportingApp, waitForEveryDaemon } from '../helpers/app.js';
import { psJson, runCli } from '../helpers/cli.js';

const skip = apacheSkipReason();

describe('a group that churns on its own (maximum-requests=1 under load, real Apache)', {
  skip,
  timeout: 240_000,
}, () => {
  it('five reloads in a row: each replaces the group or says honestly why not; never a crash loop, never "is the configuration loaded?"', async (t) => {
    const sandbox = await useSandbox(t, {
      groups: [{ name: 'churn', processes: 3, threads: 1, options: 'maximum-requests=1' }],
    });
    // Every request ends its daemon ("Maximum requests reached"); the parent starts another about once a
    // second, so the group often has no process at all. Loopback only, bounded in time and count.
    const ab = spawn(
      'ab',
      ['-l', '-t', '60', '-n', '5000', '-s', '30', '-c', '4', sandbox.url('churn', '/')],
      {
        stdio: 'ignore',
      },
    );
    t.after(() => ab.kill());
    await waitFor('the churn to start', () => sandbox.startedDaemons().size > 6, 30_000);
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const run = await runCli(['reload', 'churn', '--timeout', '15s', '--instance', String(sandbox.pid)]);
      const said = run.stdout + run.stderr;
      outcomes.push(`exit ${run.code}: ${said.trim().split('\n').join(' | ')}`);
      assert.doesNotMatch(said, /crash-looping/, outcomes.join('\n'));
      assert.doesNotMatch(said, /configuration loaded/, outcomes.join('\n'));
      assert.doesNotMatch(said, /its cut name fits/, outcomes.join('\n'));
      // Exit 0, or the honest line for a group caught with no process for the whole wait.
      if (run.code !== 0) {
        assert.match(
          said,
          /group churn has no process at this moment; its listener exists, so it is configured: its daemons are restarting/,
          outcomes.join('\n'),
        );
      }
    }
    t.diagnostic(outcomes.join('\n'));
    const replaced = outcomes.filter((line) => line.startsWith('exit 0')).length;
    assert.ok(replaced >= 3, `most reloads should go through:\n${outcomes.join('\n')}`);
    assert.equal(ab.exitCode, null, 'the load still ran during every reload');
  });
});

describe('a real crash is still a crash loop when the log level hides the lifecycle lines', { skip }, () => {
  it('LogLevel warn: a segfault at import is called a crash loop, quoting AH00052', async (t) => {
    const app = createImportingApp(t);
    const sandbox = await useSandbox(t, {
      groups: [{ name: 'django', processes: 2 }],
      extraConfig: app.mount('django'),
    });
    // The sandbox knows its daemons are up by their info lines: warn comes after, by a graceful restart.
    const before = (await psJson(sandbox.pid)).map((record) => record.pid);
    appendFileSync(sandbox.configFile, 'LogLevel warn\n');
    process.kill(sandbox.pid, 'SIGUSR1');
    await waitFor(
      'the daemons of the new generation',
      async () => {
        const now = (await psJson(sandbox.pid)).filter((r) => r.group === 'django').map((r) => r.pid);
        return now.length === 2 && now.every((pid) => !before.includes(pid));
      },
      30_000,
    );
    await waitForEveryDaemon(sandbox, 'django', 2);
    app.crashModule();
    const result = await runCli(['reload', 'django', '--instance', String(sandbox.pid)]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(
      result.stderr,
      /group django is crash-looping: .*its new daemons die as they start: the log says "AH00052: child pid \d+ exit signal Segmentation fault \(11\)"/,
    );
  });
});

describe('a replacement still importing its preloaded script is not taken for one that is up', {
  skip,
}, () => {
  it('reload returns once every new daemon has started its threads, after a slow import', async (t) => {
    const app = createImportingApp(t);
    const sandbox = await useSandbox(t, {
      groups: [{ name: 'django', processes: 2 }],
      extraConfig: app.mount('django'),
    });
    await waitForEveryDaemon(sandbox, 'django', 2);
    app.slowModule(2);
    const result = await runCli(['reload', 'django', '--instance', String(sandbox.pid)]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const replaced = /-> ([\d, ]+)/.exec(result.stdout)?.[1]?.split(', ').map(Number) ?? [];
    assert.equal(replaced.length, 2, result.stdout);
    for (const pid of replaced) {
      // mod_wsgi starts a daemon's request threads only after its preloaded import: a daemon still in
      // time.sleep has the one thread it was forked with.
      const threads = readdirSync(`/proc/${pid}/task`).length;
      assert.ok(threads > 1, `daemon ${pid} has ${threads} thread(s): still importing\n${result.stdout}`);
    }
  });
});
