import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WsgictlError } from '../../src/errors.js';
import { createProcessSource } from '../../src/processes/index.js';
import { discoverAndPlan } from '../../src/reload/discover-plan.js';
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
