import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GroupReloadResult } from '../../src/reload/types.js';
import { apacheSkipReason, requireRoot, useSandbox, waitFor } from '../helpers/apache.js';
import { psJson, runCli, startCli } from '../helpers/cli.js';
import { ignoreSignalConfig } from '../helpers/signal-app.js';

const skip = apacheSkipReason();

function pidsOf(records: Awaited<ReturnType<typeof psJson>>, group: string): number[] {
  return records.filter((r) => r.role === 'daemon' && r.group === group).map((r) => r.pid);
}

const WARNING = (pid: number) =>
  `wsgictl: warning: pid ${pid} of group stubborn ignores SIGINT (SigIgn in /proc/${pid}/status): it will not exit`;

describe('an app that ignores SIGINT (WSGIRestrictSignal Off, SIG_IGN in a preloaded script)', {
  skip,
}, () => {
  it('is named before the wait, in --dry-run and --json too; without --kill-after it "did not exit", not "draining"', async (t) => {
    requireRoot('reading the daemons’ signal masks and sockets');
    const sandbox = await useSandbox(t, {
      argv0: 'apache2',
      groups: [{ name: 'stubborn' }, { name: 'calm' }],
      extraConfig: ignoreSignalConfig(t, 'stubborn', 'SIGINT'),
    });
    const instance = ['--instance', String(sandbox.pid)];
    const [pid] = pidsOf(await psJson(sandbox.pid), 'stubborn');
    assert.ok(pid);

    const dry = await runCli(['reload', 'stubborn', '--dry-run', '--json', ...instance]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.ok(dry.stderr.includes(`${WARNING(pid)}; use --kill-after 5s, or --signal TERM`), dry.stderr);
    const [planned] = JSON.parse(dry.stdout) as GroupReloadResult[];
    assert.deepEqual(planned?.members, [{ pid, state: 'not-signalled', ignoresSignal: true }]);
    assert.match(planned?.warnings?.[0] ?? '', /ignores SIGINT \(SigIgn/);

    const started = Date.now();
    const running = startCli(['reload', 'stubborn', '--timeout', '5s', ...instance]);
    let ended = false;
    void running.done.then(() => {
      ended = true;
    });
    await waitFor('the warning', () => running.stderr().includes(WARNING(pid)), 4000);
    assert.equal(ended, false, 'the warning comes before the reload ends');
    assert.ok(Date.now() - started < 4000, `warned after ${Date.now() - started} ms`);
    const result = await running.done;
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`\\n {2}${pid} did not exit \\(ignores SIGINT; no request in flight\\)\\n`),
    );
    assert.match(result.stdout, /timeout after 5\.\d\ds: 1 did not exit\n$/);
    assert.doesNotMatch(result.stdout, /draining/);
  });

  it('--kill-after 3s replaces it in about 3 s (state killed), and leaves the other group alone', async (t) => {
    requireRoot('reading the daemons’ signal masks');
    const sandbox = await useSandbox(t, {
      argv0: 'apache2',
      groups: [{ name: 'stubborn', processes: 2 }, { name: 'calm' }],
      extraConfig: ignoreSignalConfig(t, 'stubborn', 'SIGINT'),
    });
    const before = await psJson(sandbox.pid);
    const old = pidsOf(before, 'stubborn').sort((a, b) => a - b);
    const calm = pidsOf(before, 'calm');
    assert.equal(old.length, 2);

    const started = Date.now();
    const result = await runCli([
      'reload',
      'stubborn',
      '--kill-after',
      '3s',
      '--json',
      '--instance',
      String(sandbox.pid),
    ]);
    const took = Date.now() - started;
    assert.equal(result.code, 0, result.stderr);
    assert.ok(took >= 3000 && took < 8000, `took ${took} ms`);
    for (const pid of old)
      assert.ok(result.stderr.includes(`${WARNING(pid)}; --kill-after sends it SIGKILL 3s after SIGINT`));
    const [report] = JSON.parse(result.stdout) as GroupReloadResult[];
    assert.equal(report?.outcome, 'replaced');
    assert.equal(report?.killAfterMs, 3000);
    assert.deepEqual(
      report?.members.map((m) => [m.pid, m.state, m.ignoresSignal]).sort(),
      old.map((pid) => [pid, 'killed', true]),
    );
    for (const member of report?.members ?? []) assert.ok((member.killedAfterMs ?? 0) >= 3000);

    const after = await psJson(sandbox.pid);
    const fresh = pidsOf(after, 'stubborn');
    assert.equal(fresh.length, 2);
    for (const pid of fresh) assert.ok(!old.includes(pid), `${pid} is new`);
    assert.deepEqual(pidsOf(after, 'calm'), calm, 'the other group untouched');

    const human = await runCli([
      'reload',
      'stubborn',
      '--kill-after',
      '3s',
      '--instance',
      String(sandbox.pid),
    ]);
    assert.equal(human.code, 0, human.stderr);
    // Replaced at once, two for two: nothing proves which new pid is whose, so the set is shown.
    assert.match(human.stdout, /\n {2}\d+ killed \(SIGKILL 3s after SIGINT, which it ignores\)\n/);
    assert.match(human.stdout, /\n {2}replaced \d+, \d+ -> \d+, \d+\n/);
    assert.match(human.stdout, /replaced in \d\.\d\ds \(2 killed with SIGKILL\)\n$/);
  });

  it('--kill-after that means nothing is refused (exit 2), and --signal KILL says the truth', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'calm' }] });
    const instance = ['--instance', String(sandbox.pid)];
    const cases: [string[], RegExp][] = [
      [['--kill-after', '30s'], /^wsgictl: --kill-after 30s is not shorter than --timeout 30s/],
      [['--kill-after', '2s', '--no-wait'], /^wsgictl: --kill-after is sent while wsgictl waits/],
      [['--kill-after', '0'], /^wsgictl: --kill-after 0 would SIGKILL at once/],
      [
        ['--signal', 'KILL'],
        /^wsgictl: signal "KILL" is not a first signal here: it does restart a mod_wsgi daemon .*--kill-after DURATION/,
      ],
    ];
    for (const [extra, message] of cases) {
      const result = await runCli(['reload', 'calm', ...instance, ...extra]);
      assert.equal(result.code, 2, `${extra.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1, 'one line');
    }
  });
});
