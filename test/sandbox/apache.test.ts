import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('the demo sandbox', () => {
  it('adds no exit handler when imported, and exactly one however many sandboxes start', async (t) => {
    // Imported here, not at the top (nor through test helpers, which import it): node --test runs each file
    // in a process of its own, so this is the module's first evaluation and the count before it is clean.
    const before = process.listenerCount('exit');
    const { startSandbox } = await import('../../src/sandbox/apache.js');
    assert.equal(process.listenerCount('exit'), before, 'importing the sandbox registered an exit handler');

    const { apacheSkipReason } = await import('../helpers/apache.js');
    const skip = apacheSkipReason();
    if (skip) return t.skip(skip);
    for (let started = 1; started <= 2; started++) {
      const sandbox = await startSandbox({ groups: [{ name: 'django' }] });
      t.after(() => sandbox.stop());
      assert.equal(process.listenerCount('exit'), before + 1, `after sandbox ${started}`);
    }
  });
});
