import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { WatchEvent } from '../../src/watch/loop.js';
import { apacheSkipReason, useSandbox, waitFor } from '../helpers/apache.js';
import { createImportingApp } from '../helpers/app.js';
import { REPO } from '../helpers/cli.js';

const skip = apacheSkipReason();

type CheckEvent = Extract<WatchEvent, { event: 'check' }>;

/** `wsgictl watch ARGS --json`, its events as they come; stopped after the test. */
async function startWatch(t: TestContext, args: string[]) {
  const child = spawn(process.execPath, [join(REPO, 'bin/wsgictl.js'), 'watch', '--json', ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: WatchEvent[] = [];
  let buffer = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) if (line) events.push(JSON.parse(line) as WatchEvent);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
  });
  await waitFor('the ready line', () => events.some((e) => e.event === 'ready') || child.exitCode !== null);
  assert.ok(
    events.some((e) => e.event === 'ready'),
    stderr,
  );
  const checks = () => events.filter((e): e is CheckEvent => e.event === 'check');
  return { events, checks, stderr: () => stderr };
}

describe('watch --group --check against a real Apache', { skip, timeout: 120_000 }, () => {
  it('a broken save shows its traceback within seconds, watching goes on, the fix says healthy again', async (t) => {
    const app = createImportingApp(t);
    const sandbox = await useSandbox(t, {
      groups: [{ name: 'django', processes: 2 }],
      extraConfig: app.mount('django'),
    });
    const watching = await startWatch(t, [
      app.dir,
      '--group',
      'django',
      '--check',
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
