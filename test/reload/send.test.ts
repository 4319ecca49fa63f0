import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApacheInstance } from '../../src/groups/instance.js';
import type { GroupPlan } from '../../src/reload/plan.js';
import type { Kill } from '../../src/reload/recheck.js';
import { assertAllowed, signalOne } from '../../src/reload/send.js';
import type { ReloadEvent } from '../../src/reload/types.js';
import { PARENT, proc, scriptedSource } from '../helpers/processes.js';

const instance = {
  parent: { pid: PARENT },
  context: { parentPid: PARENT, argv0Length: 7, groups: [], listeners: null },
} as unknown as ApacheInstance;

function plan(group: string, targets = [proc(201)]): GroupPlan {
  return { instance, group, targets, skipped: [] };
}

const errno = (code: string) => Object.assign(new Error(code), { code });

/** A kill that records what it was asked and throws `error` for the pids in `refuse`. */
function recordingKill(refuse: Record<number, string> = {}) {
  const sent: [number, NodeJS.Signals | 0][] = [];
  const kill: Kill = (pid, signal) => {
    sent.push([pid, signal]);
    const code = refuse[pid];
    if (code) throw errno(code);
  };
  return { kill, sent };
}

describe('assertAllowed', () => {
  it('passes when every target may be signalled, having sent only signal 0', () => {
    const { kill, sent } = recordingKill();
    assertAllowed([plan('django', [proc(201), proc(202)])], kill);
    assert.deepEqual(sent, [
      [201, 0],
      [202, 0],
    ]);
  });

  it('is exit 4 naming the groups and owners refused, with what to do', () => {
    const { kill } = recordingKill({ 202: 'EPERM', 302: 'EPERM' });
    const plans = [
      plan('django', [proc(201), proc(202, { user: 'alice' })]),
      plan('flask', [proc(301)]),
      plan('api', [proc(302, { user: 'bob' })]),
    ];
    assert.throws(() => assertAllowed(plans, kill), {
      code: 'PERMISSION',
      exitCode: 4,
      message:
        'not allowed to signal django and api (processes run as alice and bob; nothing was sent): run with sudo or as alice and bob, or use --touch SCRIPT if you can write the WSGI script',
    });
  });
});

describe('signalOne', () => {
  const target = proc(201, { startKey: '7' });

  it('signals the planned process and tells so', async () => {
    const { kill, sent } = recordingKill();
    const events: ReloadEvent[] = [];
    const source = scriptedSource(() => [target]);
    const skipped = await signalOne(source, plan('django'), target, 'SIGINT', {
      kill,
      onEvent: (e) => events.push(e),
    });
    assert.equal(skipped, null);
    assert.deepEqual(sent, [[201, 'SIGINT']]);
    assert.deepEqual(events, [
      { type: 'signalled', instance: PARENT, group: 'django', pid: 201, signal: 'SIGINT' },
    ]);
  });

  it("SIGKILL (--kill-after's follow-up) goes through the same re-check, with no event", async () => {
    const { kill, sent } = recordingKill();
    const events: ReloadEvent[] = [];
    const source = scriptedSource(() => [target]);
    assert.equal(
      await signalOne(source, plan('django'), target, 'SIGKILL', { kill, onEvent: (e) => events.push(e) }),
      null,
    );
    assert.deepEqual(sent, [[201, 'SIGKILL']]);
    assert.deepEqual(events, []);
    const gone = scriptedSource(() => []);
    assert.equal(
      await signalOne(gone, plan('django'), target, 'SIGKILL', { kill, onEvent: () => {} }),
      'exited before it was signalled',
    );
    assert.equal(sent.length, 1);
  });

  it('sends nothing to a process that changed since the plan, and says why', async () => {
    const { kill, sent } = recordingKill();
    const deps = { kill, onEvent: () => assert.fail('nothing was signalled') };
    const cases: [ReturnType<typeof proc>[], string][] = [
      [[], 'exited before it was signalled'],
      [[proc(201, { startKey: '8' })], 'pid was reused by another process'],
      [[proc(201, { startKey: '7', ppid: 1 })], 'pid was reused by another process'],
      [[proc(201, { startKey: '7', argv: ['(wsgi:flask)'] })], 'no longer identified as "django"'],
    ];
    for (const [table, reason] of cases)
      assert.equal(
        await signalOne(
          scriptedSource(() => table),
          plan('django'),
          target,
          'SIGUSR1',
          deps,
        ),
        reason,
      );
    assert.deepEqual(sent, []);
  });

  it('a process gone between the re-check and the signal (ESRCH) is skipped, not an error', async () => {
    const { kill } = recordingKill({ 201: 'ESRCH' });
    const reason = await signalOne(
      scriptedSource(() => [target]),
      plan('django'),
      target,
      'SIGINT',
      {
        kill,
        onEvent: () => assert.fail('nothing was signalled'),
      },
    );
    assert.equal(reason, 'exited before it was signalled');
  });

  it('a refused signal is exit 4 (run with sudo), any other failure exit 1; the cause is kept', async () => {
    const source = scriptedSource(() => [target]);
    for (const [code, expected] of [
      [
        'EPERM',
        { code: 'PERMISSION', exitCode: 4, message: 'signalling pid 201 was refused (EPERM): run with sudo' },
      ],
      [
        'EACCES',
        {
          code: 'PERMISSION',
          exitCode: 4,
          message: 'signalling pid 201 was refused (EACCES): run with sudo',
        },
      ],
      ['EINVAL', { code: 'FAILED', exitCode: 1, message: 'signalling pid 201 failed (EINVAL)' }],
    ] as const) {
      const { kill } = recordingKill({ 201: code });
      await assert.rejects(
        signalOne(source, plan('django'), target, 'SIGINT', { kill, onEvent: () => {} }),
        (error: Error) => {
          assert.equal((error as { code?: string }).code, expected.code);
          assert.equal((error as { exitCode?: number }).exitCode, expected.exitCode);
          assert.equal(error.message, expected.message);
          assert.equal((error.cause as NodeJS.ErrnoException).code, code);
          return true;
        },
      );
    }
  });
});
