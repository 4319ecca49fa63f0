import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Clock } from '../../src/clock.js';
import { createDeadline } from '../../src/windows/deadline.js';

function handClock(start: number): Clock & { advance: (ms: number) => void } {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('createDeadline', () => {
  it('counts down from the timeout on the clock it was given, from when it was made', async () => {
    const clock = handClock(1_000_000);
    const deadline = createDeadline(clock, 5000);
    assert.equal(deadline.timeoutMs, 5000);
    assert.equal(deadline.remainingMs(), 5000);
    clock.advance(1200);
    assert.equal(deadline.remainingMs(), 3800);
    await clock.sleep(3800);
    assert.equal(deadline.remainingMs(), 0);
  });

  it('is 0, never negative, once it has passed', () => {
    const clock = handClock(0);
    const deadline = createDeadline(clock, 100);
    clock.advance(10_000);
    assert.equal(deadline.remainingMs(), 0);
    assert.equal(createDeadline(clock, 0).remainingMs(), 0);
  });

  it('is shared: two readers see the same time left', () => {
    const clock = handClock(0);
    const deadline = createDeadline(clock, 1000);
    clock.advance(400);
    assert.equal(deadline.remainingMs(), 600);
    assert.equal(deadline.remainingMs(), 600);
  });
});
