import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../src/cli.js';
import type { Reloader } from '../../src/reload/reloader.js';
import type { GroupReloadResult, ReloadRequest } from '../../src/reload/types.js';
import { apacheSkipReason, useSandbox, waitFor } from '../helpers/apache.js';
import { createImportingApp } from '../helpers/app.js';
import { recordingContext, testPlatform } from '../helpers/context.js';
import { startWatch as startWatchCli } from '../helpers/watch.js';

const replaced = (group: string): GroupReloadResult => ({
  instance: 4,
  group,
  signal: 'SIGINT',
  oldPids: [5],
  newPids: [9],
  ms: 300,
  outcome: 'replaced',
  skipped: [],
  missing: 0,
  members: [{ pid: 5, state: 'replaced', newPid: 9 }],
});

/**
 * `wsgictl watch ARGS` in this process, in a folder of its own, with a reloader that keeps each request and
 * answers that the group was replaced; `stop()` is the user's Ctrl-C (or SIGTERM).
 */
function startWatch(t: { after: (fn: () => void) => void }, args: string[]) {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'wsgictl-watch-')));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const requests: ReloadRequest[] = [];
  const reloader: Reloader = {
    platform: 'unix',
    reload: async (request) => {
      requests.push(request as ReloadRequest);
      return (request as ReloadRequest).groups.map(replaced);
    },
  };
  let stop: (signal: 'SIGINT' | 'SIGTERM') => void = () => {};
  const stopping = new Promise<'SIGINT' | 'SIGTERM'>((resolve) => (stop = resolve));
  const recording = recordingContext({
    platform: testPlatform({ reloader }),
    cwd: dir,
    stopSignal: () => stopping,
  });
  const exit = main(['node', 'wsgictl', 'watch', ...args], recording.context);
  // Stopped even when the test fails; a second stop does nothing.
  t.after(() => stop('SIGINT'));
  const events = () =>
    recording.out
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { event: string } & Record<string, unknown>);
  return { dir, requests, stop, exit, events, err: () => recording.err.join('') };
}

describe('wsgictl watch', () => {
  it('a save reloads the group through the platform reloader; Ctrl-C ends it with exit 130', async (t) => {
    const watch = startWatch(t, ['.', '--group', 'django', '--graceful', '--json', '--debounce', '50ms']);
    const ready = await waitFor('ready', () => watch.events().find((e) => e.event === 'ready'));
    assert.deepEqual([ready.paths, ready.actions, ready.debounceMs], [[watch.dir], ['group'], 50]);

    writeFileSync(join(watch.dir, 'views.py'), 'x = 1\n');
    const reload = await waitFor('a reload', () => watch.events().find((e) => e.event === 'reload'));
    const saved = join(watch.dir, 'views.py');
    assert.deepEqual(
      [reload.files, reload.action, reload.group, reload.outcome, reload.newPids],
      [[saved], 'group', 'django', 'replaced', [9]],
    );
    assert.deepEqual(
      watch.requests.map((r) => [r.groups, r.signal]),
      [[['django'], 'SIGUSR1']],
    );
    watch.stop('SIGINT');
    assert.equal(await watch.exit, 130);
    assert.equal(watch.err(), '');
  });

  it('SIGTERM ends it with exit 143, having reloaded nothing without a change', async (t) => {
    const watch = startWatch(t, ['.', '--group', 'django', '--json']);
    await waitFor('ready', () => watch.events().find((e) => e.event === 'ready'));
    watch.stop('SIGTERM');
    assert.equal(await watch.exit, 143);
    assert.deepEqual(watch.requests, []);
  });

  it('says what is missing before anything is watched (exit 2)', async (t) => {
    for (const [args, message] of [
      [['.'], 'say what to do on a change: --group NAME, --touch SCRIPT or --exec "COMMAND"'],
      [
        ['.', '--exec', 'true', '--host', 'web1'],
        '--host reloads groups on the hosts: give --group NAME with it',
      ],
      [['.', '--exec', 'true', '--check'], '--check judges the reload of a group: give --group NAME with it'],
    ] as const) {
      const watch = startWatch(t, [...args]);
      assert.equal(await watch.exit, 2, args.join(' '));
      assert.equal(watch.err(), `wsgictl: ${message}\n`);
      assert.deepEqual(watch.events(), []);
    }
  });
});

const skip = apacheSkipReason();

describe('watch --group --check against a real Apache', { skip, timeout: 120_000 }, () => {
  it('a broken save shows its traceback within seconds, watching goes on, the fix says healthy again', async (t) => {
    const app = createImportingApp(t);
    const sandbox = await useSandbox(t, {
      groups: [{ name: 'django', processes: 2 }],
      extraConfig: app.mount('django'),
    });
    const watching = await startWatchCli(t, [
      app.dir,
      '--group',
      'django',
      '--check',
      // What the check says of a broken release that went live; the pre-flight would stop it first.
      '--no-preflight',
      '--instance',
      String(sandbox.pid),
    ]);

    const saved = Date.now();
    app.breakModule();
    const [broken] = await waitFor(
      'a failed check',
      () => watching.checks().length > 0 && watching.checks(),
      30_000,
    );
    const seconds = (Date.now() - saved) / 1000;
    assert.ok(seconds < 5, `the error showed ${seconds}s after the save`);
    assert.equal(broken?.ok, false, watching.stderr());
    assert.equal(broken?.group, 'django');
    assert.deepEqual(
      broken?.health.filter((entry) => !entry.ok).map((entry) => [new URL(entry.url).pathname, entry.status]),
      [['/shop', 500]],
    );
    assert.ok(broken?.errors.some((line) => line.endsWith('SyntaxError: invalid syntax')));
    assert.ok(broken?.errors.some((line) => line.includes(`File "${app.module}", line 1`)));
    const reload = watching.events.find((e) => e.event === 'reload');
    assert.ok(reload && !('health' in reload), 'the reload event stays a reload event');

    app.fixModule();
    const fixed = await waitFor('a check after the fix', () => watching.checks()[1], 30_000);
    assert.deepEqual([fixed.ok, fixed.recovered, fixed.errors], [true, true, []]);
  });
});
