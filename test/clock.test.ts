import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { systemClock } from '../src/clock.js';

describe('systemClock', () => {
  it('tells wall-clock milliseconds', () => {
    const before = Date.now();
    const now = systemClock.now();
    assert.ok(now >= before && now <= Date.now());
  });

  it('sleeps for at least the milliseconds asked, on a real timer', async () => {
    const started = performance.now();
    await systemClock.sleep(30);
    assert.ok(performance.now() - started >= 25, 'slept less than asked');
  });
});
