import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { Sandbox } from '../../src/sandbox/types.js';
import { apacheSkipReason, requireRoot, useSandbox, waitFor } from '../helpers/apache.js';
import { NOBODY, psJson, runCli } from '../helpers/cli.js';
import { type SubscribedApp, subscribeSignalsConfig } from '../helpers/signal-app.js';

const skip = apacheSkipReason();

/** The group's daemons, each as `pid:start`, so that a process replaced under the same pid still shows. */
async function daemonsOf(sandbox: Sandbox, group: string): Promise<string[]> {
  const records = await psJson(sandbox.pid);
  return records
    .filter((record) => record.role === 'daemon' && record.group === group)
    .map((record) => `${record.pid}:${record.startedAt}`)
    .sort();
}

async function startSubscribed(
  t: TestContext,
  exitOn?: 'SIGHUP' | 'SIGUSR2',
): Promise<{ sandbox: Sandbox; app: SubscribedApp; major: number }> {
  const app = subscribeSignalsConfig(t, 'django', exitOn);
  const sandbox = await useSandbox(t, {
    groups: [{ name: 'django', processes: 2 }, { name: 'flask' }],
    extraConfig: app.config,
  });
  assert.ok(sandbox.wsgiVersion, 'the sandbox module says which mod_wsgi it is');
  return { sandbox, app, major: Number(sandbox.wsgiVersion.split('.')[0]) };
}

/** On 4.x/5.x: refused with exit 2, the reason said, and the group's processes untouched. */
function assertRefusedBefore6(
  result: { code: number | null; stdout: string; stderr: string },
  sandbox: Sandbox,
  signal: string,
) {
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, '');
  assert.match(
    result.stderr,
    new RegExp(
      `mod_wsgi ${sandbox.wsgiVersion?.replace(/\./g, '\\.')} under \\S+ \\(pid ${sandbox.pid}\\) does not hand ${signal} to the application .*nothing was sent: use \`wsgictl reload django\``,
    ),
  );
}

describe('signal GROUP HUP|USR2, on the mod_wsgi the sandbox loads', { skip, timeout: 180_000 }, () => {
  for (const signal of ['SIGHUP', 'SIGUSR2'] as const) {
    it(`${signal}: on 6.x every daemon's app receives it and keeps running; on 4.x/5.x exit 2, nothing sent`, async (t) => {
      const { sandbox, app, major } = await startSubscribed(t);
      const before = await daemonsOf(sandbox, 'django');
      const flask = await daemonsOf(sandbox, 'flask');
      assert.equal(before.length, 2);
      const result = await runCli(['signal', 'django', signal.slice(3), '--instance', String(sandbox.pid)]);
      if (major < 6) {
        assertRefusedBefore6(result, sandbox, signal);
      } else {
        assert.equal(result.code, 0, result.stderr);
        const pids = before.map((each) => each.split(':')[0]);
        assert.match(
          result.stdout,
          new RegExp(
            `^django \\(Apache pid ${sandbox.pid}\\): ${signal}, 2 processes, mod_wsgi ${sandbox.wsgiVersion} \\(from its start line and module\\)\\n`,
          ),
        );
        for (const pid of pids) assert.match(result.stdout, new RegExp(`\\n {2}${pid} still running\\n`));
        assert.match(result.stdout, /\n {2}delivered; 2 still running 1\.00s later\n$/);
        const seen = await waitFor('both daemons to record the signal', () => {
          const lines = app.lines();
          return pids.every((pid) => lines.includes(`${pid} ${signal}`)) && lines;
        });
        assert.equal(seen.length, 2, seen.join('\n'));
      }
      assert.deepEqual(await daemonsOf(sandbox, 'django'), before);
      assert.deepEqual(await daemonsOf(sandbox, 'flask'), flask, 'another group is never signalled');
      if (major < 6) assert.deepEqual(app.lines(), []);
    });
  }

  it('a daemon that the signal ends is a failure (exit 1), said so; on 4.x/5.x exit 2', async (t) => {
    const { sandbox, major } = await startSubscribed(t, 'SIGUSR2');
    const before = await daemonsOf(sandbox, 'django');
    const result = await runCli(['signal', 'django', 'usr2', '--instance', String(sandbox.pid)]);
    if (major < 6) {
      assertRefusedBefore6(result, sandbox, 'SIGUSR2');
      assert.deepEqual(await daemonsOf(sandbox, 'django'), before);
      return;
    }
    assert.equal(result.code, 1, result.stderr);
    for (const each of before) {
      const pid = each.split(':')[0];
      assert.match(result.stdout, new RegExp(`\\n {2}${pid} ended \\(exited after the signal\\)\\n`));
    }
    assert.match(result.stdout, /\n {2}SIGUSR2 ended some of the group's processes; 0 still running\n$/);
    assert.match(
      result.stderr,
      /^wsgictl: SIGUSR2 ended 2 of 2 processes of "django" \(Apache pid \d+\): pid \d+ \d+; the application did not survive it/,
    );
  });

  it('as a user who may not signal the daemons: exit 4 on 6.x as for reload; on 4.x/5.x exit 2 all the same', async (t) => {
    const { sandbox, app, major } = await startSubscribed(t);
    const before = await daemonsOf(sandbox, 'django');
    requireRoot('running wsgictl as nobody against daemons of www-data');
    const result = await runCli(['signal', 'django', 'HUP', '--instance', String(sandbox.pid)], NOBODY);
    if (major < 6) assertRefusedBefore6(result, sandbox, 'SIGHUP');
    else {
      assert.equal(result.code, 4, result.stderr);
      assert.match(
        result.stderr,
        /^wsgictl: not allowed to signal django \(processes run as \S+; nothing was sent\): run with sudo or as \S+\n$/,
      );
    }
    assert.deepEqual(await daemonsOf(sandbox, 'django'), before);
    assert.deepEqual(app.lines(), []);
  });

  it('--dry-run and --json: every check made, the version said, nothing sent', async (t) => {
    const { sandbox, app, major } = await startSubscribed(t);
    const before = await daemonsOf(sandbox, 'django');
    const args = ['signal', 'django', 'HUP', '--dry-run', '--json', '--instance', String(sandbox.pid)];
    const result = await runCli(args);
    if (major < 6) {
      assertRefusedBefore6(result, sandbox, 'SIGHUP');
    } else {
      assert.equal(result.code, 0, result.stderr);
      const [only, ...rest] = JSON.parse(result.stdout);
      assert.deepEqual(rest, []);
      assert.equal(only.outcome, 'dry-run');
      assert.equal(only.wsgiVersion, sandbox.wsgiVersion);
      assert.deepEqual(only.versionFrom, ['start line', 'module']);
      assert.deepEqual(only.pids.map(String).sort(), before.map((each) => each.split(':')[0]).sort());
    }
    assert.deepEqual(await daemonsOf(sandbox, 'django'), before);
    assert.deepEqual(app.lines(), []);
  });
});

describe('signal: usage', () => {
  it('a restart signal points to reload; an unknown one lists HUP and USR2 (exit 2)', async () => {
    const int = await runCli(['signal', 'django', 'INT']);
    assert.equal(int.code, 2);
    assert.match(int.stderr, /signal "INT" restarts a mod_wsgi daemon: use `wsgictl reload --signal INT`/);
    const other = await runCli(['signal', 'django', 'WINCH']);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /use HUP \(1\), USR2 \(12\), with or without the SIG prefix/);
  });
});
