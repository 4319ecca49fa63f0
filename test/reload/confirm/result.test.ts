import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeMembers,
  type MemberFacts,
  settledResult,
  summarizeMembers,
} from '../../../src/reload/confirm/result.js';
import type { GroupReloadResult } from '../../../src/reload/types.js';

const PLANNED: GroupReloadResult = {
  instance: 10,
  group: 'big',
  signal: 'SIGUSR1',
  oldPids: [11, 12, 13, 14],
  newPids: [],
  ms: 0,
  outcome: 'dry-run',
  skipped: [],
  missing: 0,
  members: [11, 12, 13, 14].map((pid) => ({ pid, state: 'not-signalled' })),
};

function facts(overrides: Partial<MemberFacts>): MemberFacts {
  return {
    targets: [11, 12, 13, 14],
    signalled: new Set([11, 12, 13, 14]),
    skipped: new Map(),
    paired: new Map(),
    newPids: [],
    running: new Set(),
    waited: true,
    ...overrides,
  };
}

describe('describeMembers', () => {
  it('a rolling reload stopped by its timeout names every process: replaced, missing, never signalled', () => {
    const members = describeMembers(
      facts({
        signalled: new Set([11, 12, 13]),
        paired: new Map([
          [11, 21],
          [12, 22],
        ]),
        newPids: [21, 22],
      }),
    );
    assert.deepEqual(members, [
      { pid: 11, state: 'replaced', newPid: 21 },
      { pid: 12, state: 'replaced', newPid: 22 },
      { pid: 13, state: 'missing' },
      { pid: 14, state: 'not-signalled' },
    ]);
  });

  it('a process still running at the timeout is draining, not missing', () => {
    const members = describeMembers(facts({ running: new Set([12]), newPids: [31, 32] }));
    assert.deepEqual(members, [
      { pid: 11, state: 'replaced' },
      { pid: 12, state: 'draining' },
      { pid: 13, state: 'replaced' },
      { pid: 14, state: 'missing' },
    ]);
  });

  it('names a new pid only for a proven pair: the others are replaced, paired with nothing', () => {
    const members = describeMembers(facts({ paired: new Map([[13, 40]]), newPids: [38, 39, 40, 41] }));
    assert.deepEqual(
      members.map((m) => [m.pid, m.state, m.newPid]),
      [
        [11, 'replaced', undefined],
        [12, 'replaced', undefined],
        [13, 'replaced', 40],
        [14, 'replaced', undefined],
      ],
    );
  });

  it('keeps the reason of a process skipped at its signal, and says "signalled" when nothing was waited for', () => {
    const members = describeMembers(
      facts({
        signalled: new Set([11, 12, 13]),
        skipped: new Map([[14, 'pid was reused by another process']]),
        waited: false,
      }),
    );
    assert.deepEqual(
      members.map((m) => [m.pid, m.state, m.reason]),
      [
        [11, 'signalled', undefined],
        [12, 'signalled', undefined],
        [13, 'signalled', undefined],
        [14, 'skipped', 'pid was reused by another process'],
      ],
    );
  });
});

describe('settledResult', () => {
  it('at a timeout keeps the old fields and counts the signalled processes without a replacement', () => {
    const members = describeMembers(
      facts({
        signalled: new Set([11, 12]),
        paired: new Map([[11, 21]]),
        running: new Set([12]),
        newPids: [21],
      }),
    );
    const result = settledResult(PLANNED, { done: false, newPids: [21] }, Date.now() - 1000, members);
    assert.equal(result.outcome, 'timeout');
    assert.deepEqual(result.oldPids, [11, 12, 13, 14]);
    assert.deepEqual(result.newPids, [21]);
    assert.equal(result.missing, 1);
    assert.deepEqual(result.skipped, []);
    assert.deepEqual(
      result.members.map((m) => m.state),
      ['replaced', 'draining', 'not-signalled', 'not-signalled'],
    );
    assert.equal(summarizeMembers(result.members), '1 replaced, 1 still draining, 2 not signalled');
  });

  it('when every replacement is up: replaced, nothing missing', () => {
    const members = describeMembers(facts({ newPids: [21, 22, 23, 24] }));
    const result = settledResult(PLANNED, { done: true, newPids: [21, 22, 23, 24] }, Date.now(), members);
    assert.deepEqual([result.outcome, result.missing], ['replaced', 0]);
    assert.equal(summarizeMembers(result.members), '4 replaced');
  });
});
