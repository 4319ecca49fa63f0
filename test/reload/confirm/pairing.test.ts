import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proveReplacement } from '../../../src/reload/confirm/pairing.js';

const group = (...pids: number[]) => new Map(pids.map((pid) => [pid, `k${pid}`]));

describe('proveReplacement', () => {
  it('pairs when exactly the signalled process left and exactly one came, nothing else changed', () => {
    assert.equal(proveReplacement(10, group(10, 11, 12), group(11, 12, 20), 0), 20);
  });

  it('pairs nothing when the group changed otherwise during the step (churn, another reload)', () => {
    // 11 exited on its own too: 20 and 21 could stand in for either.
    assert.equal(proveReplacement(10, group(10, 11, 12), group(12, 20, 21), 0), null);
    // One came, but another replacement died meanwhile.
    assert.equal(proveReplacement(10, group(10, 11), group(11, 20), 1), null);
    // The process that left is not the one signalled.
    assert.equal(proveReplacement(10, group(10, 11), group(10, 20), 0), null);
    // A pid reused by another process is a change too.
    assert.equal(
      proveReplacement(
        10,
        group(10, 11),
        new Map([
          [11, 'other'],
          [20, 'k20'],
        ]),
        0,
      ),
      null,
    );
  });
});
