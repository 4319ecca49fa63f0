import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createProcessSource } from '../../src/processes/index.js';
import { lockName } from '../../src/reload/lock.js';
import type { GroupReloadResult } from '../../src/reload/types.js';
import { apacheSkipReason, useSandbox, waitFor } from '../helpers/apache.js';
import { type CliResult, psJson, runCli, startCli } from '../helpers/cli.js';
import { startWatch } from '../helpers/watch.js';

const skip = apacheSkipReason();

function parse(result: CliResult): GroupReloadResult[] {
  return result.stdout ? (JSON.parse(result.stdout) as GroupReloadResult[]) : [];
}

const sorted = (pids: number[]) => [...pids].sort((a, b) => a - b);

async function groupPids(instance: number, group: string): Promise<number[]> {
  return sorted((await psJson(instance)).filter((r) => r.group === group).map((r) => r.pid));
}

/** Whether some process holds the reload lock of this Apache (its abstract socket is listed). */
function lockIsHeld(instance: number): boolean {
  return readFileSync('/proc/net/unix', 'utf8').includes(`@wsgictl-lock-${instance}-`);
}

describe('two reloads of one group at once take turns (real Apache)', { skip, timeout: 180_000 }, () => {
  for (const delayMs of [0, 100, 300]) {
    it(`started ${delayMs} ms apart: both exit 0, every original pid replaced, the second plans after the first`, async (t) => {
      const sandbox = await useSandbox(t, { groups: [{ name: 'dj7', processes: 3 }] });
      const before = await groupPids(sandbox.pid, 'dj7');
      assert.equal(before.length, 3);
      const args = ['reload', 'dj7', '--json', '--instance', String(sandbox.pid)];
      const first = startCli(args);
      await sleep(delayMs);
      const second = startCli(args);
      const [a, b] = await Promise.all([first.done, second.done]);
      for (const run of [a, b]) {
        assert.equal(run.code, 0, run.stdout + run.stderr);
        assert.doesNotMatch(run.stdout + run.stderr, /crash-looping|configuration loaded/);
      }
      const [ra, rb] = [parse(a)[0], parse(b)[0]];
      assert.ok(ra && rb);
      // One of them waited for the other and then signalled the other's replacements, not its old pids.
      const [early, late] = ra.waitedForLock ? [rb, ra] : [ra, rb];
      assert.ok(late.waitedForLock, `neither waited: ${a.stdout} ${b.stdout}`);
      assert.match(ra.waitedForLock ? a.stderr : b.stderr, /another reload of Apache pid \d+ is under way/);
      assert.deepEqual(sorted(early.oldPids), before);
      assert.deepEqual(sorted(late.oldPids), sorted(early.newPids));
      const after = await groupPids(sandbox.pid, 'dj7');
      assert.equal(after.length, 3);
      assert.deepEqual(
        after.filter((pid) => before.includes(pid) || early.newPids.includes(pid)),
        [],
      );
    });
  }

  it('watch --group and a manual reload at once: both replace the group, no crash loop', async (t) => {
    const sandbox = await useSandbox(t, { groups: [{ name: 'dj7', processes: 3 }] });
    const root = mkdtempSync(join(tmpdir(), 'wsgictl-turns-'));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    writeFileSync(join(root, 'views.py'), 'x = 1\n');
    const before = await groupPids(sandbox.pid, 'dj7');
    // --rolling makes the watcher's reload last a few seconds: the manual one surely starts during it.
    const watching = await startWatch(t, [
      root,
      '--group',
      'dj7',
      '--rolling',
      '--instance',
      String(sandbox.pid),
    ]);
    writeFileSync(join(root, 'views.py'), 'x = 2\n');
    // The watcher prints its change as its reload starts: the manual one starts while that one runs.
    await waitFor('the change', () => watching.events.some((e) => e.event === 'change'), 30_000);
    const manual = runCli(['reload', 'dj7', '--instance', String(sandbox.pid)]);
    const [reload] = await waitFor(
      'the watch reload',
      () => watching.reloads().length > 0 && watching.reloads(),
      60_000,
    );
    const done = await manual;
    assert.equal(done.code, 0, done.stdout + done.stderr);
    assert.doesNotMatch(done.stdout + done.stderr, /crash-looping/);
    assert.ok(reload?.action === 'group', watching.stderr());
    assert.equal(reload.outcome, 'replaced', JSON.stringify(reload));
    assert.doesNotMatch(watching.stderr(), /crash-looping/);
    // They took turns: the manual reload waited for the watcher's (or, if it came first, the other way).
    assert.ok(/under way/.test(done.stderr) || reload.waitedForLock, done.stderr + JSON.stringify(reload));
    const after = await groupPids(sandbox.pid, 'dj7');
    assert.equal(after.length, 3);
    assert.deepEqual(
      after.filter((pid) => before.includes(pid)),
      [],
    );
  });

  it('names the holder of the lock, waits at most --timeout, and goes ahead once it is free', async (t) => {
    const sandbox = await useSandbox(t, { groups: [{ name: 'dj7', processes: 1 }] });
    const parent = await createProcessSource().read(sandbox.pid);
    assert.ok(parent);
    // This test process holds the lock, as a reload under way would.
    const holder = createServer();
    await new Promise<void>((resolve) =>
      holder.listen({ path: `\0${lockName(sandbox.pid, parent.startKey)}` }, resolve),
    );
    t.after(() => holder.close());
    const before = await groupPids(sandbox.pid, 'dj7');
    const started = Date.now();
    const blocked = await runCli(['reload', 'dj7', '--timeout', '2s', '--instance', String(sandbox.pid)]);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(blocked.code, 1, blocked.stdout + blocked.stderr);
    const who = new RegExp(`pid ${process.pid} \\([^)]*node[^)]*\\) holds its lock`);
    const told = blocked.stderr.match(/another reload of Apache pid \d+ is under way/g) ?? [];
    assert.equal(told.length, 1, blocked.stderr);
    assert.match(blocked.stderr, who);
    assert.match(
      blocked.stderr,
      /the other reload of Apache pid \d+ did not end within 2s \(--timeout\): .*nothing was sent/,
    );
    assert.ok(seconds >= 2 && seconds < 10, `gave up after ${seconds}s`);
    assert.deepEqual(await groupPids(sandbox.pid, 'dj7'), before, 'nothing was signalled');

    // Released while a reload waits: it goes ahead and says in --json that it waited.
    const waiting = startCli(['reload', 'dj7', '--json', '--instance', String(sandbox.pid)]);
    await waitFor('the waiting line', () => /under way/.test(waiting.stderr()), 20_000);
    holder.close();
    const done = await waiting.done;
    assert.equal(done.code, 0, done.stdout + done.stderr);
    const [result] = parse(done);
    assert.equal(result?.outcome, 'replaced');
    assert.equal(result?.waitedForLock?.pid, process.pid);
    assert.ok((result?.waitedForLock?.ms ?? 0) > 0);
  });

  it('a holder killed with SIGKILL does not block the next reload', async (t) => {
    const sandbox = await useSandbox(t, { groups: [{ name: 'dj7', processes: 3 }] });
    // A graceful rolling reload takes a while: long enough to be killed while it holds the lock.
    const victim = startCli(['reload', 'dj7', '--rolling', '--graceful', '--instance', String(sandbox.pid)]);
    await waitFor('the lock to be held', () => lockIsHeld(sandbox.pid), 20_000);
    victim.child.kill('SIGKILL');
    const killed = await victim.done;
    assert.equal(killed.signal, 'SIGKILL');
    const started = Date.now();
    const next = await runCli(['reload', 'dj7', '--json', '--instance', String(sandbox.pid)]);
    assert.equal(next.code, 0, next.stdout + next.stderr);
    assert.doesNotMatch(next.stderr, /under way/);
    assert.equal(parse(next)[0]?.waitedForLock, undefined);
    assert.ok(Date.now() - started < 20_000);
  });
});
