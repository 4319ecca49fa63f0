import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { WatchEvent } from '../../src/watch/loop.js';
import { waitFor } from '../helpers/apache.js';
import { startCli } from '../helpers/cli.js';
import { startWatch } from '../helpers/watch.js';

/** A folder with x/src to watch and, outside it, the WSGI script that --touch sets (no Apache needed). */
function project(t: TestContext): { top: string; src: string; script: string } {
  const top = mkdtempSync(join(tmpdir(), 'wsgictl-paths-'));
  t.after(() => rmSync(top, { recursive: true, force: true }));
  const src = join(top, 'x', 'src');
  mkdirSync(src, { recursive: true });
  const script = join(top, 'app.wsgi');
  writeFileSync(script, 'application = None\n');
  return { top, src, script };
}

function writeMany(dir: string, count: number): string[] {
  const files = Array.from({ length: count }, (_, i) => join(dir, `m${i}.py`));
  for (const file of files) writeFileSync(file, 'x = 1\n');
  return files;
}

describe('watch shows paths as they were given, with real files', { timeout: 60_000 }, () => {
  it('watch /ABS/x/src started in /ABS prints /ABS/x/src and its files under it, not x/src', async (t) => {
    const { top, src, script } = project(t);
    const running = startCli(['watch', src, '--touch', script, '--debounce', '300ms'], { cwd: top });
    t.after(() => {
      if (running.child.exitCode === null) running.child.kill('SIGKILL');
    });
    await waitFor('the ready line', () => running.stdout().includes('Ctrl-C stops'), 20_000);
    assert.match(running.stdout(), new RegExp(` watching ${src} \\(native events, debounce 300ms\\)`));
    writeFileSync(join(src, 'one.py'), 'x = 1\n');
    await waitFor('the touch line', () => running.stdout().includes('-> touched'), 20_000);
    assert.match(running.stdout(), new RegExp(` ${join(src, 'one.py')} -> touched ${script}\\n`));
    // 200 files at once: the terminal line stays short.
    writeMany(src, 200);
    await waitFor('the second touch line', () => running.stdout().split('-> touched').length === 3, 20_000);
    assert.match(
      running.stdout(),
      new RegExp(` ${src}/m\\d+\\.py, ${src}/m\\d+\\.py and 198 more -> touched ${script}\\n`),
    );
    running.child.kill('SIGINT');
    assert.equal((await running.done).code, 130);
  });

  it('--json: the change event lists every file of the batch, as the reload event does', async (t) => {
    const { src, script } = project(t);
    const w = await startWatch(t, [src, '--touch', script, '--debounce', '500ms']);
    const files = writeMany(src, 200);
    await waitFor('the reload', () => w.reloads().length > 0, 20_000);
    const changes = w.events.filter(
      (e): e is Extract<WatchEvent, { event: 'change' }> => e.event === 'change',
    );
    assert.equal(changes.length, 1, JSON.stringify(changes.map((c) => c.count)));
    const [change] = changes;
    const [reload] = w.reloads();
    assert.equal(change?.count, 200);
    assert.deepEqual([...(change?.files ?? [])].sort(), [...files].sort());
    assert.deepEqual([...(reload?.files ?? [])].sort(), [...files].sort());
  });
});
