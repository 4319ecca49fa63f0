import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { annotateMembers, type StuckFacts } from '../../../src/reload/confirm/stuck.js';
import type { MemberReport } from '../../../src/reload/types.js';

function factsOf(overrides: Partial<StuckFacts> = {}): StuckFacts {
  return {
    signal: 'SIGINT',
    unheeded: [],
    killed: new Map(),
    spared: new Map(),
    inFlight: new Map(),
    ...overrides,
  };
}

describe('annotateMembers', () => {
  it('leaves a replaced member as it is', () => {
    const members: MemberReport[] = [{ pid: 1, state: 'replaced', newPid: 11 }];
    assert.deepEqual(annotateMembers(members, factsOf()), members);
  });

  it('a draining member serving requests stays draining, with the count', () => {
    const result = annotateMembers([{ pid: 1, state: 'draining' }], factsOf({ inFlight: new Map([[1, 3]]) }));
    assert.deepEqual(result, [{ pid: 1, state: 'draining', inFlight: 3 }]);
  });

  it('a draining member with no request is still-running, saying so', () => {
    const result = annotateMembers([{ pid: 1, state: 'draining' }], factsOf({ inFlight: new Map([[1, 0]]) }));
    assert.deepEqual(result, [{ pid: 1, state: 'still-running', reason: 'no request in flight' }]);
  });

  it('a draining member whose sockets could not be read is still-running, saying that', () => {
    for (const inFlight of [new Map([[1, null]]), new Map()]) {
      const [member] = annotateMembers([{ pid: 1, state: 'draining' }], factsOf({ inFlight }));
      assert.equal(member?.state, 'still-running');
      assert.equal(member?.reason, 'its sockets could not be read to see requests in flight');
    }
  });

  it('marks ignoresSignal / blocksSignal and puts the signal and the spared reason in the reason', () => {
    const facts = factsOf({
      unheeded: [
        { pid: 1, fate: 'ignores', heeds: ['SIGTERM'] },
        { pid: 2, fate: 'blocks', heeds: [] },
      ],
      inFlight: new Map([
        [1, 0],
        [2, 0],
      ]),
      spared: new Map([[1, 'its pid was reused']]),
    });
    const result = annotateMembers(
      [
        { pid: 1, state: 'draining' },
        { pid: 2, state: 'draining' },
      ],
      facts,
    );
    assert.deepEqual(result, [
      {
        pid: 1,
        state: 'still-running',
        ignoresSignal: true,
        reason: 'ignores SIGINT; no request in flight; not killed: its pid was reused',
      },
      { pid: 2, state: 'still-running', blocksSignal: true, reason: 'blocks SIGINT; no request in flight' },
    ]);
  });

  it('killed and replaced becomes killed with its delay; killed and not replaced stays missing', () => {
    const facts = factsOf({
      killed: new Map([
        [1, 5000],
        [2, 5000],
      ]),
    });
    const result = annotateMembers(
      [
        { pid: 1, state: 'replaced', newPid: 11 },
        { pid: 2, state: 'missing' },
      ],
      facts,
    );
    assert.deepEqual(result, [
      { pid: 1, state: 'killed', newPid: 11, killedAfterMs: 5000 },
      { pid: 2, state: 'missing', killedAfterMs: 5000 },
    ]);
  });

  it('marks a replaced member that ignored the signal (it was killed) without changing its state', () => {
    const facts = factsOf({ unheeded: [{ pid: 1, fate: 'ignores', heeds: [] }] });
    assert.deepEqual(annotateMembers([{ pid: 1, state: 'replaced' }], facts), [
      { pid: 1, state: 'replaced', ignoresSignal: true },
    ]);
  });
});
