import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../src/cli.js';
import { PartialReloadError } from '../../src/reload/partial.js';
import type { ReloadDeps } from '../../src/reload/reload.js';
import type { Reloader } from '../../src/reload/reloader.js';
import type { GroupReloadResult, ReloadRequest } from '../../src/reload/types.js';
import { apacheSkipReason, useSandbox } from '../helpers/apache.js';
import { runCli } from '../helpers/cli.js';
import { recordingContext, testPlatform } from '../helpers/context.js';

/** django's processes 5 and 6 replaced by 9 and 10 under Apache pid 4, with `fields` over that. */
function result(fields: Partial<GroupReloadResult> = {}): GroupReloadResult {
  return {
    instance: 4,
    group: 'django',
    signal: 'SIGINT',
    oldPids: [5, 6],
    newPids: [9, 10],
    ms: 400,
    outcome: 'replaced',
    skipped: [],
    missing: 0,
    members: [
      { pid: 5, state: 'replaced', newPid: 9 },
      { pid: 6, state: 'replaced', newPid: 10 },
    ],
    ...fields,
  };
}

/** `wsgictl reload ARGS` with a reloader that runs `reload` and keeps the requests it was handed. */
async function reloadWith(
  args: string[],
  reload: (request: ReloadRequest, deps: ReloadDeps) => Promise<GroupReloadResult[]>,
  stop: Promise<'SIGINT' | 'SIGTERM'> = new Promise(() => {}),
) {
  const requests: ReloadRequest[] = [];
  const reloader: Reloader = {
    platform: 'unix',
    reload: async (request, deps) => {
      requests.push(request as ReloadRequest);
      return reload(request as ReloadRequest, deps ?? {});
    },
  };
  const recording = recordingContext({ platform: testPlatform({ reloader }), stopSignal: () => stop });
  const code = await main(['node', 'wsgictl', 'reload', ...args], recording.context);
  return { code, out: recording.out.join(''), err: recording.err.join(''), requests };
}

describe('wsgictl reload, through the platform reloader', () => {
  it('hands the reloader the request as typed, prints each group and its pairs, exit 0', async () => {
    const run = await reloadWith(['django', '--graceful'], async () => [result({ signal: 'SIGUSR1' })]);
    // The options not typed are absent (JSON drops them), not defaulted here.
    assert.deepEqual(JSON.parse(JSON.stringify(run.requests)), [
      { groups: ['django'], signal: 'SIGUSR1', timeoutMs: 30_000, wait: true },
    ]);
    assert.equal(
      run.out,
      'django (Apache pid 4): SIGUSR1, 2 processes\n  5 -> 9\n  6 -> 10\n  replaced in 0.40s\n',
    );
    assert.deepEqual([run.code, run.err], [0, '']);
  });

  it('--json prints the results exactly, and nothing else', async () => {
    const run = await reloadWith(['django', '--json'], async () => [result()]);
    assert.deepEqual(JSON.parse(run.out), [result()]);
    assert.deepEqual([run.code, run.err], [0, '']);
  });

  it('a timeout is exit 1, each process said as it ended', async () => {
    const run = await reloadWith(['django'], async () => [
      result({
        outcome: 'timeout',
        newPids: [9],
        missing: 1,
        members: [
          { pid: 5, state: 'replaced', newPid: 9 },
          { pid: 6, state: 'missing' },
        ],
      }),
    ]);
    assert.equal(run.code, 1);
    assert.equal(
      run.out,
      'django (Apache pid 4): SIGINT, 2 processes\n  5 -> 9\n  6 -> missing (exited; no replacement yet)\n  timeout after 0.40s: 1 replaced, 1 missing\n',
    );
  });

  it('--rolling prints the head at the first signal and each pair once replaced, not again at the end', async () => {
    const run = await reloadWith(['django', '--rolling'], async (_request, deps) => {
      for (const [pid, newPid] of [
        [5, 9],
        [6, 10],
      ] as const) {
        deps.onEvent?.({ type: 'signalled', instance: 4, group: 'django', pid, signal: 'SIGINT' });
        deps.onEvent?.({ type: 'replaced', instance: 4, group: 'django', oldPid: pid, newPid });
      }
      return [result()];
    });
    assert.equal(
      run.out,
      'django (Apache pid 4): SIGINT, one process at a time\n  5 -> 9\n  6 -> 10\n  replaced in 0.40s\n',
    );
    assert.equal(run.code, 0);
  });

  it('a warning goes to stderr as it comes, so that --json stays one document', async () => {
    const run = await reloadWith(['django', '--json'], async (_request, deps) => {
      deps.onEvent?.({
        type: 'warning',
        instance: 4,
        group: 'django',
        pid: 5,
        message: 'pid 5 ignores SIGINT',
      });
      return [result()];
    });
    assert.equal(run.err, 'wsgictl: warning: pid 5 ignores SIGINT\n');
    assert.deepEqual(JSON.parse(run.out), [result()]);
  });

  it('a crash loop is exit 1 with one line on stderr', async () => {
    const run = await reloadWith(['django'], async () => [
      result({
        outcome: 'crash-loop',
        newPids: [],
        crashLoop: { restarts: 2, pids: [11, 12] },
        members: [
          { pid: 5, state: 'missing' },
          { pid: 6, state: 'missing' },
        ],
      }),
    ]);
    assert.equal(run.code, 1);
    assert.match(run.out, /^ {2}group django is crash-looping: 2 restarts in 0\.40s$/m);
    assert.equal(
      run.err,
      'wsgictl: group django is crash-looping: 2 restarts in 0.40s (Apache pid 4): its new daemons die as they start; see above\n',
    );
  });

  it('groups that did reload are shown before the error that stopped the others (exit 1)', async () => {
    const run = await reloadWith(['django', 'flask'], async () => {
      throw new PartialReloadError(
        [result()],
        [{ instance: 4, group: 'flask', error: new Error('no group "flask"') }],
      );
    });
    assert.equal(run.code, 1);
    assert.match(run.out, /^django \(Apache pid 4\): SIGINT, 2 processes\n/);
    assert.equal(run.err, 'wsgictl: 1 of 2 group reloads failed: "flask" (Apache pid 4): no group "flask"\n');
  });

  it('Ctrl-C asks the reload to stop after its current step: exit 130, what was left said', async () => {
    const run = await reloadWith(
      ['django', '--rolling'],
      async (_request, deps) => {
        await new Promise((resolve) => setImmediate(resolve)); // the Ctrl-C comes while it runs
        const stopped = deps.stopRequested?.() === true;
        return [
          result({
            outcome: stopped ? 'stopped' : 'replaced',
            members: [
              { pid: 5, state: 'replaced', newPid: 9 },
              { pid: 6, state: 'not-signalled' },
            ],
          }),
        ];
      },
      Promise.resolve('SIGINT'),
    );
    assert.equal(run.code, 130);
    assert.equal(run.err, 'wsgictl: stopping after the current step (Ctrl-C again quits at once)\n');
    assert.match(
      run.out,
      /^ {2}6 not signalled \(left running: Ctrl-C stopped the reload before its turn\)$/m,
    );
    assert.match(run.out, /^ {2}stopped by Ctrl-C after 0\.40s: 1 replaced, 1 not signalled$/m);
  });

  it('a usage error reaches no reloader', async () => {
    const run = await reloadWith([], async () => assert.fail('nothing is reloaded'));
    assert.equal(run.code, 2);
    assert.equal(run.err, 'wsgictl: name a group to reload (see `wsgictl ps`), or pass --all\n');
    assert.deepEqual(run.requests, []);
  });
});

const skip = apacheSkipReason();

describe('reload --rolling prints as it goes, under the group head', { skip, timeout: 120_000 }, () => {
  it('the head comes first, then each old -> new pair, then the outcome', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django', processes: 2 }] });
    const result = await runCli(['reload', 'django', '--rolling', '--instance', String(sandbox.pid)]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(
      lines[0],
      `django (Apache pid ${sandbox.pid}): SIGINT, one process at a time`,
      result.stdout,
    );
    assert.equal(lines.length, 4, result.stdout);
    for (const line of lines.slice(1, 3)) assert.match(line, /^ {2}\d+ -> \d+$/);
    assert.match(lines[3] ?? '', /^ {2}replaced in \d+\.\d\ds$/);
  });

  it('with --no-wait, which signals every process at once, the plain head and no "one at a time"', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django', processes: 2 }] });
    const args = ['reload', 'django', '--rolling', '--no-wait', '--instance', String(sandbox.pid)];
    const result = await runCli(args);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      `django (Apache pid ${sandbox.pid}): SIGINT, 2 processes\n  signalled 2; not waiting (--no-wait)\n`,
    );
  });

  it('two groups: each head above its own pairs, and each outcome under its name at the end', async (t) => {
    const sandbox = await useSandbox(t, {
      argv0: 'apache2',
      groups: [{ name: 'django' }, { name: 'flask' }],
    });
    const pid = sandbox.pid;
    const result = await runCli(['reload', 'django', 'flask', '--rolling', '--instance', String(pid)]);
    assert.equal(result.code, 0, result.stderr);
    const pair = '  \\d+ -> \\d+\\n';
    assert.match(
      result.stdout,
      new RegExp(
        `^django \\(Apache pid ${pid}\\): SIGINT, one process at a time\\n${pair}` +
          `flask \\(Apache pid ${pid}\\): SIGINT, one process at a time\\n${pair}` +
          `django \\(Apache pid ${pid}\\): SIGINT, 1 process\\n {2}replaced in \\S+\\n` +
          `flask \\(Apache pid ${pid}\\): SIGINT, 1 process\\n {2}replaced in \\S+\\n$`,
      ),
    );
  });
});
