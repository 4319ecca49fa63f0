import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apacheSkipReason, useSandbox, waitFor } from '../helpers/apache.js';
import { createImportingApp } from '../helpers/app.js';
import { startWatch } from '../helpers/watch.js';

const skip = apacheSkipReason();

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
