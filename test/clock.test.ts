import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sleepUnless, systemClock } from '../src/clock.js';

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

describe('sleepUnless', () => {
  it('resolves false after the time, true as soon as the stop comes', async () => {
    assert.equal(await sleepUnless(10, new Promise(() => {})), false);
    const started = Date.now();
    assert.equal(await sleepUnless(60_000, Promise.resolve('SIGINT')), true);
    assert.ok(Date.now() - started < 5_000, 'the stop ended the wait, not the timer');
  });
});
