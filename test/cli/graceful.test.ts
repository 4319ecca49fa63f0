import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { GracefulResult } from '../../src/graceful/types.js';
import { httpGet } from '../../src/http.js';
import { createProcessSource } from '../../src/processes/index.js';
import { acquireLock, lockName } from '../../src/reload/lock.js';
import { findApache } from '../../src/sandbox/install.js';
import type { Sandbox } from '../../src/sandbox/types.js';
import { apacheSkipReason, requireRoot, useSandbox } from '../helpers/apache.js';
import { psJson, runCli } from '../helpers/cli.js';

const skip = apacheSkipReason();

/** The pids of the parent and of the daemons, as `ps --json` shows them. */
async function readPids(sandbox: Sandbox): Promise<string[]> {
  return (await psJson(sandbox.pid))
    .filter((record) => record.role === 'parent' || record.role === 'daemon')
    .map((record) => `${record.role} ${record.pid}`)
    .sort();
}

/** A group's WSGIDaemonProcess (and its mount, for one added later) in conf.d, as the sandbox writes them. */
function writeGroupFile(sandbox: Sandbox, file: string, lines: string[]): void {
  writeFileSync(join(sandbox.configDir, 'conf.d', file), `${lines.join('\n')}\n`);
}

describe('graceful against a real Apache', { skip }, () => {
  it('tests the config, restarts, and waits for every group of the new configuration', async (t) => {
    const sandbox = await useSandbox(t, {
      groups: [{ name: 'alpha', processes: 2 }, { name: 'beta' }],
      groupFiles: true,
    });
    const instance = ['--instance', String(sandbox.pid)];

    await t.test(
      'a syntax error in an included file: exit 1, Apache’s message, nothing signalled',
      async () => {
        const before = await readPids(sandbox);
        const broken = join(sandbox.configDir, 'conf.d', '99-broken.conf');
        writeFileSync(broken, 'Bogus\x1b[31m directive\n');
        const result = await runCli(['graceful', ...instance]);
        rmSync(broken);
        assert.equal(result.code, 1, result.stdout + result.stderr);
        assert.match(result.stderr, /Syntax error on line 1 of \S*99-broken\.conf/);
        // Apache's own words, with the escape made visible rather than sent to the terminal.
        assert.match(result.stderr, /Invalid command 'Bogus\\x1b\[31m'/);
        assert.ok(!result.stderr.includes('\u001b'), 'a raw escape reached the terminal');
        assert.match(result.stderr, /the configuration test of Apache pid \d+ failed: nothing was signalled/);
        assert.deepEqual(await readPids(sandbox), before);
      },
    );

    await t.test(
      'a group added and processes=2 -> 3: --check exit 0, ps verifies them by socket',
      async () => {
        writeGroupFile(sandbox, '10-alpha.conf', [
          'WSGIDaemonProcess alpha processes=3 threads=2 display-name=%{GROUP}',
        ]);
        writeGroupFile(sandbox, '30-gamma.conf', [
          'WSGIDaemonProcess gamma processes=1 threads=2 display-name=%{GROUP}',
          `WSGIScriptAlias /gamma ${sandbox.scriptFile} process-group=gamma application-group=%{GLOBAL}`,
        ]);
        const refused = await runCli(['reload', 'alpha', ...instance]);
        assert.equal(refused.code, 5, refused.stderr);
        assert.match(refused.stderr, /wsgictl graceful/);

        const dry = await runCli(['graceful', '--dry-run', ...instance]);
        assert.equal(dry.code, 0, dry.stderr);
        assert.match(dry.stdout, /alpha: would restart, 3 processes \(processes 2 -> 3\)/);
        assert.match(dry.stdout, /gamma: would be added, 1 process/);

        const result = await runCli(['graceful', '--check', ...instance]);
        assert.equal(result.code, 0, result.stdout + result.stderr);
        assert.match(
          result.stdout,
          /alpha: restarted \(was \d+ \d+\), up in [\d.]+m?s: \d+ \d+ \d+ \(processes 2 -> 3\)/,
        );
        assert.match(result.stdout, /gamma: added, up in/);
        assert.match(
          result.stdout,
          new RegExp(`answered GET http://127\\.0\\.0\\.1:${sandbox.port}/gamma -> 200`),
        );
        assert.match(result.stdout, /every group is up after/);

        const daemons = (await psJson(sandbox.pid)).filter((record) => record.role === 'daemon');
        const count = (group: string) =>
          daemons.filter((r) => r.group === group && r.evidence === 'socket' && r.verified === true).length;
        assert.deepEqual([count('alpha'), count('beta'), count('gamma')], [3, 1, 1], JSON.stringify(daemons));
        // The doubt is gone: a reload goes ahead again.
        const reload = await runCli(['reload', 'gamma', ...instance]);
        assert.equal(reload.code, 0, reload.stderr);
      },
    );

    await t.test('--drain: a slow request in flight completes; a plain graceful cuts it', async () => {
      const drained = httpGet(sandbox.url('gamma', '?sleep=2500'), 20_000);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the request reaches its daemon
      const result = await runCli(['graceful', '--drain', ...instance]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      assert.match(result.stdout, /drained gamma: SIGUSR1 to \d+, exited in/);
      assert.equal((await drained).status, 200);

      const cut = httpGet(sandbox.url('gamma', '?sleep=6000'), 20_000).catch(() => null);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const plain = await runCli(['graceful', '--json', ...instance]);
      assert.equal(plain.code, 0, plain.stdout + plain.stderr);
      assert.notEqual((await cut)?.status, 200);
      const json = JSON.parse(plain.stdout) as GracefulResult;
      assert.equal(json.outcome, 'done');
      assert.deepEqual(
        json.groups.map((group) => [group.group, group.change, group.state, group.newPids.length]),
        [
          ['alpha', 'restarted', 'up', 3],
          ['beta', 'restarted', 'up', 1],
          ['gamma', 'restarted', 'up', 1],
        ],
      );
      assert.ok(
        (json.generation.after ?? 0) > (json.generation.before ?? 0),
        JSON.stringify(json.generation),
      );
    });

    await t.test(
      'takes its turn like a reload: a held turn is waited for up to --timeout, nothing sent',
      async () => {
        const parent = await createProcessSource('linux').read(sandbox.pid);
        assert.ok(parent, 'the sandbox parent is readable');
        const turn = await acquireLock(lockName(parent.pid, parent.startKey), {
          instance: parent.pid,
          timeoutMs: 1000,
        });
        try {
          const before = await readPids(sandbox);
          const result = await runCli(['graceful', '--timeout', '1s', ...instance]);
          assert.equal(result.code, 1, result.stdout + result.stderr);
          assert.match(
            result.stderr,
            /another reload of Apache pid \d+ is under way: pid \d+ .*holds its lock/,
          );
          assert.match(result.stderr, /did not end within 1s \(--timeout\).*nothing was sent/);
          assert.deepEqual(await readPids(sandbox), before);
        } finally {
          turn.release();
        }
      },
    );

    await t.test('a python-home that does not exist: exit 1 naming the group and its log line', async () => {
      writeGroupFile(sandbox, '20-beta.conf', [
        'WSGIDaemonProcess beta processes=1 threads=2 display-name=%{GROUP} python-home=/nonexistent/venv',
      ]);
      const result = await runCli(['graceful', '--timeout', '20s', ...instance]);
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stdout, /beta: restarted \(was \d+\), failed: /);
      assert.match(
        result.stderr,
        /beta did not come up \(beta: .*Unable to stat Python home '?\/nonexistent\/venv/,
      );
      assert.match(result.stdout, /gamma: restarted \(was \d+\), up in/);
    });
  });
});

describe('graceful of an Apache whose binary root must not run', { skip }, () => {
  it('a binary under a folder others may write: exit 5, nothing run or signalled', async (t) => {
    requireRoot('an Apache run from a root-owned copy of its binary');
    const install = findApache();
    assert.ok(install, 'Apache + mod_wsgi is installed');
    // A root-owned, mode 755 copy (so the instance itself is trusted), but under /tmp, which anyone may write.
    const dir = mkdtempSync(join(tmpdir(), 'wsgictl-graceful-bin-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const binary = join(dir, 'apache2');
    copyFileSync(install.binary, binary);
    chmodSync(binary, 0o755);
    const sandbox = await useSandbox(t, { groups: [{ name: 'alpha' }], install: { ...install, binary } });
    const before = await readPids(sandbox);
    const result = await runCli(['graceful', '--instance', String(sandbox.pid)]);
    assert.equal(result.code, 5, result.stdout + result.stderr);
    assert.match(
      result.stderr,
      /will not run the binary of Apache pid \d+ for its config test: \/tmp is not root's alone .*nothing was signalled/,
    );
    assert.deepEqual(await readPids(sandbox), before);
  });
});

describe('graceful: what it refuses before reaching any Apache', () => {
  it('--host: exit 2, saying to run it on each host', async () => {
    const result = await runCli(['graceful', '--host', 'web1']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /graceful does not reach other hosts yet: run it on each host in turn/);
  });

  it('--check with --dry-run: exit 2', async () => {
    const result = await runCli(['graceful', '--check', '--dry-run']);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /--check needs a restart to judge/);
  });
});
