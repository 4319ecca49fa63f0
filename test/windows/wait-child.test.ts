import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessInfo } from '../../src/processes/types.js';
import { CONFIRM_POLL_MS, waitForNewChild } from '../../src/windows/wait-child.js';
import { fakeClock, fastlistProcesses } from './fakes.js';

function httpdPids(processes: ProcessInfo[]): Set<number> {
  return new Set(processes.filter((info) => info.comm === 'httpd.exe').map((info) => info.pid));
}

/** A process list that answers with each table in turn, then keeps answering with the last one. */
function tables(...answers: ProcessInfo[][]): { list: () => Promise<ProcessInfo[]>; calls: () => number } {
  let calls = 0;
  return {
    list: async () => {
      calls++;
      return answers[Math.min(calls, answers.length) - 1] ?? [];
    },
    calls: () => calls,
  };
}

describe('waitForNewChild (injected clock)', () => {
  it('polls until the new child of the same parent appears, and says how long it took', async () => {
    const before = await fastlistProcesses('fastlist-service-apache.txt');
    const after = await fastlistProcesses('fastlist-service-apache-restarted.txt');
    const answers = tables(before, before, before, after);
    const clock = fakeClock();
    const confirmation = await waitForNewChild(answers.list, httpdPids(before), 10_000, clock, 4420);
    assert.equal(confirmation.newChild?.pid, 7311);
    assert.equal(confirmation.newChild?.ppid, 4420);
    assert.equal(answers.calls(), 4);
    assert.equal(confirmation.ms, 3 * CONFIRM_POLL_MS);
  });

  it('gives up at the timeout exactly, never sleeping past it', async () => {
    const before = await fastlistProcesses('fastlist-console-apache.txt');
    const answers = tables(before);
    const clock = fakeClock();
    const confirmation = await waitForNewChild(answers.list, httpdPids(before), 600, clock, 5012, 250);
    assert.deepEqual(confirmation, { newChild: null, ms: 600 });
    assert.equal(clock.slept, 600, 'sleeps 250 + 250 + 100');
    assert.equal(answers.calls(), 4, 'and looks once more at the deadline');
  });

  it('a timeout of 0 looks once and does not sleep', async () => {
    const before = await fastlistProcesses('fastlist-console-apache.txt');
    const answers = tables(before);
    const clock = fakeClock();
    assert.equal((await waitForNewChild(answers.list, httpdPids(before), 0, clock, 5012)).newChild, null);
    assert.equal(answers.calls(), 1);
    assert.equal(clock.slept, 0);
  });

  it('neither a new process that is not httpd.exe nor one the old table had counts', async () => {
    const before = await fastlistProcesses('fastlist-console-apache.txt');
    const newcomer = { ...before[5], pid: 6300, ppid: 5012 } as ProcessInfo; // node.exe under httpd
    const confirmation = await waitForNewChild(
      async () => [...before, newcomer],
      httpdPids(before),
      1000,
      fakeClock(),
      5012,
    );
    assert.equal(confirmation.newChild, null);
  });

  it('after a service stop/start (parent not kept): the new parent alone is no child; its child is', async () => {
    const before = await fastlistProcesses('fastlist-service-apache.txt');
    const moved = (await fastlistProcesses('fastlist-service-apache-restarted.txt')).map((info) =>
      info.pid === 4420 ? { ...info, pid: 8100 } : info.ppid === 4420 ? { ...info, ppid: 8100 } : info,
    );
    const parentOnly = moved.filter((info) => info.pid !== 7311);
    const answers = tables(parentOnly, moved);
    const confirmation = await waitForNewChild(answers.list, httpdPids(before), 1000, fakeClock());
    assert.equal(confirmation.newChild?.pid, 7311);
    assert.equal(
      answers.calls(),
      2,
      'the new parent (pid 8100, under services.exe) was not taken for the child',
    );
  });

  it('with the parent kept, another Apache’s new child is not taken for this one’s', async () => {
    const before = await fastlistProcesses('fastlist-service-apache.txt');
    const otherParent = { ...before[2], pid: 9000, ppid: 640 } as ProcessInfo;
    const otherChild = { ...before[2], pid: 9100, ppid: 9000 } as ProcessInfo;
    const confirmation = await waitForNewChild(
      async () => [...before, otherParent, otherChild],
      httpdPids(before),
      1000,
      fakeClock(),
      4420,
    );
    assert.equal(confirmation.newChild, null);
  });
});
