import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WsgictlError } from '../../src/errors.js';
import type { ApacheInstance } from '../../src/groups/instance.js';
import { createProcessSource } from '../../src/processes/index.js';
import { createPassingWatch, discoverAndPlan, SETTLE_MS } from '../../src/reload/discover-plan.js';
import { apacheSkipReason, useSandbox } from '../helpers/apache.js';

const skip = apacheSkipReason();

describe('discoverAndPlan', { skip }, () => {
  it('plans a running group at once, and says "no running processes" for one that does not run, without waiting', async (t) => {
    const sandbox = await useSandbox(t, {
      argv0: '/usr/sbin/apache2',
      groups: [{ name: 'django' }, { name: 'idle', section: 'IfDefine NOPE' }],
    });
    const source = createProcessSource();
    let slept = 0;
    const sleep = async () => {
      slept++;
    };
    const [plan] = await discoverAndPlan(source, { groups: ['django'], instance: sandbox.pid }, sleep);
    assert.equal(plan?.targets.length, 1);
    await assert.rejects(
      discoverAndPlan(source, { groups: ['idle'], instance: sandbox.pid }, sleep),
      (error: unknown) => error instanceof WsgictlError && error.exitCode === 3,
    );
    assert.equal(slept, 0, 'nothing was settling: no second look');
    await assert.rejects(
      discoverAndPlan(source, { groups: ['django'], instance: 2 ** 22 + 3 }, sleep),
      (error: unknown) => error instanceof WsgictlError && /no Apache parent with pid/.test(error.message),
    );
  });
});

describe('createPassingWatch: churn catches a different daemon in passing at each look', () => {
  const stopping = (pid: number) =>
    ({
      parent: { uid: 0, argv: ['apache2'] },
      doubts: [
        {
          kind: 'contradiction',
          reason: `pid ${pid} shows "(wsgi:c" but holds no listener socket of "churn"`,
        },
      ],
      children: [{ process: { pid, uid: 33, argv: ['(wsgi:c'] }, role: 'daemon', socketIds: [] }],
    }) as unknown as ApacheInstance;

  it('looks again while each look names another daemon, however long the churn lasts', () => {
    let now = 0;
    const inPassing = createPassingWatch(() => now);
    for (let pid = 100; pid < 140; pid++, now += 100)
      assert.equal(inPassing([stopping(pid)]), true, `at ${now} ms`);
  });

  it('refuses once one daemon keeps that look for SETTLE_MS', () => {
    let now = 0;
    const inPassing = createPassingWatch(() => now);
    assert.equal(inPassing([stopping(7)]), true);
    now = SETTLE_MS - 1;
    assert.equal(inPassing([stopping(7)]), true);
    now = SETTLE_MS;
    assert.equal(inPassing([stopping(7)]), false);
  });

  it('refuses at once a doubt of another kind', () => {
    const changed = {
      ...stopping(7),
      doubts: [{ kind: 'stale', reason: 'the configuration changed since Apache read it' }],
    } as unknown as ApacheInstance;
    assert.equal(createPassingWatch(() => 0)([changed]), false);
  });
});
