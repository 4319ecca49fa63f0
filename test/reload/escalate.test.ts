import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeSignal, maskHas, parseSignalMasks } from '../../src/processes/signal-mask.js';
import { summarizeMembers } from '../../src/reload/confirm/result.js';
import { annotateMembers } from '../../src/reload/confirm/stuck.js';
import { assertKillAfter, createEscalator, parseKillAfter } from '../../src/reload/escalate.js';
import { describeUnheeded } from '../../src/reload/unheeded.js';

// Recorded from a mod_wsgi 4.9.4 daemon whose preloaded script ran signal.signal(SIGINT, SIG_IGN).
const IGNORING_STATUS = `Name:\tapache2
State:\tS (sleeping)
SigQ:\t0/62985
SigPnd:\t0000000000000000
ShdPnd:\t0000000000000000
SigBlk:\t0000000000000000
SigIgn:\t0000000001001002
SigCgt:\t0000000100804200
`;
// An Apache worker's main thread: nearly everything blocked.
const WORKER_STATUS = IGNORING_STATUS.replace('SigBlk:\t0000000000000000', 'SigBlk:\tfffffffe3ffbaa07')
  .replace('SigIgn:\t0000000001001002', 'SigIgn:\t0000000001001000')
  .replace('SigCgt:\t0000000100804200', 'SigCgt:\t00000001080046eb');

describe('signal masks from /proc/PID/status', () => {
  it('reads SigIgn, SigCgt and SigBlk, bit N-1 for signal N', () => {
    const masks = parseSignalMasks(IGNORING_STATUS);
    assert.ok(masks);
    assert.equal(masks.ignored, 0x1001002n);
    assert.equal(maskHas(masks.ignored, 'SIGINT'), true);
    assert.equal(maskHas(masks.ignored, 'SIGTERM'), false);
    assert.equal(maskHas(masks.caught, 'SIGTERM'), true);
    assert.equal(parseSignalMasks('Name:\tx\nSigIgn:\t0\n'), null, 'a field missing: unknown');
  });

  it('judges ignored, blocked in every thread, or acted on', () => {
    const ignoring = parseSignalMasks(IGNORING_STATUS);
    const worker = parseSignalMasks(WORKER_STATUS);
    assert.ok(ignoring && worker);
    assert.equal(judgeSignal(ignoring, [ignoring], 'SIGINT'), 'ignores');
    assert.equal(judgeSignal(ignoring, [ignoring], 'SIGTERM'), 'acts');
    assert.equal(judgeSignal(worker, [worker, worker], 'SIGINT'), 'blocks');
    assert.equal(judgeSignal(worker, [worker, ignoring], 'SIGINT'), 'acts', 'one thread takes it');
  });
});

describe('the warning for a process that will not act on its signal', () => {
  it('says who, what, where it was read and what to do', () => {
    assert.equal(
      describeUnheeded({ pid: 4242, fate: 'ignores', heeds: ['SIGTERM'] }, 'dj7', 'SIGINT', null),
      'pid 4242 of group dj7 ignores SIGINT (SigIgn in /proc/4242/status): it will not exit; use --kill-after 5s, or --signal TERM (it does not ignore that), or fix the app (WSGIRestrictSignal On keeps it from changing signal handling)',
    );
    assert.equal(
      describeUnheeded({ pid: 7, fate: 'blocks', heeds: [] }, 'dj7', 'SIGTERM', '3s'),
      'pid 7 of group dj7 blocks SIGTERM in every thread (SigBlk in /proc/7/task/*/status): it will not exit; --kill-after sends it SIGKILL 3s after SIGTERM',
    );
  });
});

describe('members that did not simply exit', () => {
  const facts = {
    signal: 'SIGINT' as const,
    unheeded: [{ pid: 1, fate: 'ignores' as const, heeds: [] }],
    killed: new Map<number, number>(),
    spared: new Map<number, string>(),
  };

  it('is draining only with a request in flight; else "did not exit", saying why', () => {
    const members = annotateMembers(
      [
        { pid: 1, state: 'draining' },
        { pid: 2, state: 'draining' },
        { pid: 3, state: 'draining' },
      ],
      {
        ...facts,
        inFlight: new Map([
          [1, 0],
          [2, 2],
          [3, null],
        ]),
      },
    );
    assert.deepEqual(members, [
      { pid: 1, state: 'still-running', ignoresSignal: true, reason: 'ignores SIGINT; no request in flight' },
      { pid: 2, state: 'draining', inFlight: 2 },
      {
        pid: 3,
        state: 'still-running',
        reason: 'its sockets could not be read to see requests in flight',
      },
    ]);
    assert.equal(summarizeMembers(members), '1 still draining, 2 did not exit');
  });

  it('a member killed by --kill-after is "killed", with its replacement', () => {
    const members = annotateMembers(
      [
        { pid: 1, state: 'replaced', newPid: 9 },
        { pid: 2, state: 'replaced', newPid: 8 },
      ],
      { ...facts, killed: new Map([[1, 3010]]), inFlight: new Map() },
    );
    assert.deepEqual(members[0], {
      pid: 1,
      state: 'killed',
      newPid: 9,
      ignoresSignal: true,
      killedAfterMs: 3010,
    });
    assert.equal(summarizeMembers(members), '1 replaced, 1 killed');
  });
});

describe('--kill-after', () => {
  it('parses like --timeout and refuses zero', () => {
    assert.equal(parseKillAfter('3s'), 3000);
    assert.equal(parseKillAfter('500ms'), 500);
    assert.throws(() => parseKillAfter('0'), {
      code: 'USAGE',
      message: /^--kill-after 0 would SIGKILL at once/,
    });
    assert.throws(() => parseKillAfter('soon'), {
      code: 'USAGE',
      message: /^--kill-after "soon" is not a duration/,
    });
  });

  it('refuses what makes it mean nothing: not shorter than --timeout, --no-wait, --touch', () => {
    const base = { groups: ['g'], killAfterMs: 30_000 };
    assert.throws(() => assertKillAfter(base, 30_000), {
      exitCode: 2,
      message:
        '--kill-after 30s is not shorter than --timeout 30s: the wait would end before the SIGKILL; give a shorter --kill-after or a longer --timeout',
    });
    assert.throws(() => assertKillAfter({ ...base, killAfterMs: 1000, wait: false }, 30_000), {
      exitCode: 2,
      message: /^--kill-after is sent while wsgictl waits .*drop --no-wait/,
    });
    assert.throws(() => assertKillAfter({ ...base, killAfterMs: 1000, touch: '/x.wsgi' }, 30_000), {
      exitCode: 2,
      message: /^--kill-after goes with a signal: --touch sends none/,
    });
    assert.doesNotThrow(() => assertKillAfter({ ...base, killAfterMs: 1000 }, 30_000));
  });

  it('kills each target once its time has come, through the given re-check', async () => {
    let clock = 0;
    const sent: number[] = [];
    const escalator = createEscalator({
      killAfterMs: 3000,
      now: () => clock,
      send: async (target) => {
        sent.push(target.pid);
        return target.pid === 2 ? 'no longer identified as "g"' : null;
      },
    });
    escalator.arm({ pid: 1 } as never);
    clock = 1000;
    escalator.arm({ pid: 2 } as never);
    clock = 2999;
    await escalator.tick();
    assert.deepEqual(sent, []);
    clock = 3000;
    await escalator.tick();
    clock = 4000;
    await escalator.tick();
    await escalator.tick();
    assert.deepEqual(sent, [1, 2], 'each once');
    assert.deepEqual([...escalator.killed], [[1, 3000]]);
    assert.deepEqual([...escalator.spared], [[2, 'no longer identified as "g"']]);
  });
});
