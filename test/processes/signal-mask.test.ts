import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { describe, it } from 'node:test';
import { judgeSignal, maskHas, parseSignalMasks, type SignalMasks } from '../../src/processes/signal-mask.js';

const bit = (signal: NodeJS.Signals) => 1n << BigInt(constants.signals[signal] - 1);

const STATUS =
  'Name:\tapache2\nSigQ:\t0/31\nSigPnd:\t0000000000000000\nSigBlk:\t0000000000000000\nSigIgn:\t0000000001001000\nSigCgt:\t00000001800044eb\n';

describe('parseSignalMasks', () => {
  it('reads SigIgn, SigCgt and SigBlk as 64-bit masks', () => {
    assert.deepEqual(parseSignalMasks(STATUS), { ignored: 0x1001000n, caught: 0x1800044ebn, blocked: 0n });
  });

  it('is null when one field is absent or not hex', () => {
    assert.equal(parseSignalMasks(STATUS.replace(/^SigBlk.*$/m, '')), null);
    assert.equal(parseSignalMasks(STATUS.replace('SigCgt:\t00000001800044eb', 'SigCgt:\tzz')), null);
    assert.equal(parseSignalMasks(''), null);
  });

  it('reads the real /proc/self/status of this node process', () => {
    const masks = parseSignalMasks(readFileSync('/proc/self/status', 'utf8'));
    assert.ok(masks);
    // node installs a SIGPIPE-ignore at start-up; SIGKILL can be neither ignored nor caught.
    assert.equal(maskHas(masks.ignored, 'SIGPIPE'), true);
    assert.equal(maskHas(masks.ignored, 'SIGKILL'), false);
    assert.equal(maskHas(masks.caught, 'SIGKILL'), false);
  });
});

describe('maskHas', () => {
  it('tells bit N-1 for signal N', () => {
    assert.equal(maskHas(0x1000n, 'SIGPIPE'), constants.signals.SIGPIPE === 13);
    assert.equal(maskHas(bit('SIGTERM'), 'SIGTERM'), true);
    assert.equal(maskHas(bit('SIGTERM'), 'SIGINT'), false);
    assert.equal(maskHas(0n, 'SIGINT'), false);
  });
});

describe('judgeSignal', () => {
  const none: SignalMasks = { ignored: 0n, caught: 0n, blocked: 0n };

  it('ignores when SigIgn holds it, whatever the threads', () => {
    assert.equal(judgeSignal({ ...none, ignored: bit('SIGINT') }, [none], 'SIGINT'), 'ignores');
  });

  it('blocks only when every thread blocks it', () => {
    const blocking = { ...none, blocked: bit('SIGTERM') };
    assert.equal(judgeSignal(none, [blocking, blocking], 'SIGTERM'), 'blocks');
    assert.equal(judgeSignal(none, [blocking, none], 'SIGTERM'), 'acts');
  });

  it('uses the process masks when no thread was read', () => {
    assert.equal(judgeSignal({ ...none, blocked: bit('SIGUSR1') }, [], 'SIGUSR1'), 'blocks');
    assert.equal(judgeSignal(none, [], 'SIGUSR1'), 'acts');
  });

  it('acts with a handler or the default action', () => {
    assert.equal(judgeSignal({ ...none, caught: bit('SIGTERM') }, [none], 'SIGTERM'), 'acts');
  });
});
