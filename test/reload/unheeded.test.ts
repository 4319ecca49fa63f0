import assert from 'node:assert/strict';
import { constants } from 'node:os';
import { describe, it } from 'node:test';
import type { SignalMasks } from '../../src/processes/signal-mask.js';
import type { ProcessInfo, ProcessSource } from '../../src/processes/types.js';
import { describeUnheeded, findUnheeded } from '../../src/reload/unheeded.js';

const bit = (signal: NodeJS.Signals) => 1n << BigInt(constants.signals[signal] - 1);
const none: SignalMasks = { ignored: 0n, caught: 0n, blocked: 0n };

function sourceOf(
  masks: Record<number, { process: SignalMasks; threads: SignalMasks[] } | null>,
): ProcessSource {
  return { signalMasks: async (pid: number) => masks[pid] ?? null } as unknown as ProcessSource;
}

const targets = (...pids: number[]) => pids.map((pid) => ({ pid }) as unknown as ProcessInfo);

describe('findUnheeded', () => {
  it('names those that ignore or block the signal, with the other restart signals they would act on', async () => {
    const source = sourceOf({
      1: { process: { ...none, ignored: bit('SIGINT') }, threads: [none] },
      2: { process: none, threads: [{ ...none, blocked: bit('SIGINT') | bit('SIGTERM') }] },
      3: { process: none, threads: [none] },
      4: null,
    });
    assert.deepEqual(await findUnheeded(source, targets(1, 2, 3, 4), 'SIGINT'), [
      { pid: 1, fate: 'ignores', heeds: ['SIGTERM'] },
      { pid: 2, fate: 'blocks', heeds: [] },
    ]);
  });

  it('names nobody where the platform has no signal masks', async () => {
    assert.deepEqual(await findUnheeded({} as unknown as ProcessSource, targets(1), 'SIGINT'), []);
  });
});

describe('describeUnheeded', () => {
  it('for an ignored signal: where it was read, and the other signal it heeds', () => {
    assert.equal(
      describeUnheeded({ pid: 4242, fate: 'ignores', heeds: ['SIGTERM'] }, 'dj7', 'SIGINT', null),
      'pid 4242 of group dj7 ignores SIGINT (SigIgn in /proc/4242/status): it will not exit; use --kill-after 5s, or --signal TERM (it does not ignore that), or fix the app (WSGIRestrictSignal On keeps it from changing signal handling)',
    );
  });

  it('for a blocked signal with no alternative', () => {
    assert.equal(
      describeUnheeded({ pid: 9, fate: 'blocks', heeds: [] }, 'shop', 'SIGTERM', null),
      'pid 9 of group shop blocks SIGTERM in every thread (SigBlk in /proc/9/task/*/status): it will not exit; use --kill-after 5s, or fix the app (WSGIRestrictSignal On keeps it from changing signal handling)',
    );
    assert.match(
      describeUnheeded({ pid: 9, fate: 'blocks', heeds: ['SIGINT'] }, 'shop', 'SIGTERM', null),
      /or --signal INT \(it does not block that\)/,
    );
  });

  it('with --kill-after: says the SIGKILL comes, and no advice', () => {
    assert.equal(
      describeUnheeded({ pid: 9, fate: 'ignores', heeds: ['SIGTERM'] }, 'shop', 'SIGINT', '2s'),
      'pid 9 of group shop ignores SIGINT (SigIgn in /proc/9/status): it will not exit; --kill-after sends it SIGKILL 2s after SIGINT',
    );
  });
});
