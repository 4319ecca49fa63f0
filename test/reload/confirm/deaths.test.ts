import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDeathTracker } from '../../../src/reload/confirm/deaths.js';

describe('createDeathTracker', () => {
  it('counts a new member that was seen and is gone, once; not one that only dropped out of a poll', async () => {
    const running = new Set(['11:a']);
    const deaths = createDeathTracker(async (pid, key) => running.has(`${pid}:${key}`));
    assert.equal(
      await deaths.observe(
        new Map([
          [10, 'a'],
          [11, 'a'],
        ]),
      ),
      0,
    );
    // 10 died and the parent started 12; 11 was not identified this time but still runs.
    assert.equal(await deaths.observe(new Map([[12, 'b']])), 1);
    assert.equal(
      await deaths.observe(
        new Map([
          [11, 'a'],
          [12, 'b'],
        ]),
      ),
      1,
    );
    assert.equal(
      await deaths.observe(
        new Map([
          [11, 'a'],
          [13, 'c'],
        ]),
      ),
      2,
    );
    assert.deepEqual(deaths.listDeaths(), [10, 12]);
  });

  it('a pid reused by another process is a death', async () => {
    const deaths = createDeathTracker(async (pid, key) => pid === 10 && key === 'new');
    await deaths.observe(new Map([[10, 'old']]));
    assert.equal(await deaths.observe(new Map()), 1);
  });
});
