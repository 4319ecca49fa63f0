import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ActionReport } from '../../src/watch/actions.js';
import { createCheckSplitter } from '../../src/watch/check-events.js';

function reloaded(status: number | null): ActionReport {
  return {
    action: 'group',
    instance: 812,
    group: 'django',
    signal: 'SIGINT',
    oldPids: [1],
    newPids: [2],
    ms: 800,
    outcome: 'replaced',
    skipped: [],
    missing: 0,
    members: [{ pid: 1, state: 'replaced', newPid: 2 }],
    health: [{ url: 'http://127.0.0.1/shop', address: '127.0.0.1:80', status, ok: status === 200, ms: 4 }],
    unchecked: [],
    errors: status === 200 ? [] : ['[x] [wsgi:error] [pid 2:tid 2] SyntaxError: invalid syntax'],
    errorLogs: [{ path: '/var/log/apache2/error.log', written: 'error.log' }],
  };
}

describe('createCheckSplitter', () => {
  it('takes the check off the reload report, and says "recovered" once after a failure', () => {
    const split = createCheckSplitter();
    const first = split(reloaded(200));
    assert.equal('health' in first.report, false, 'the reload line carries no check');
    assert.deepEqual([first.check?.ok, first.check?.recovered], [true, false]);
    const broken = split(reloaded(500));
    assert.deepEqual(
      [broken.check?.ok, broken.check?.recovered, broken.check?.errors.length],
      [false, false, 1],
    );
    assert.deepEqual(
      [split(reloaded(500)).check?.recovered, split(reloaded(200)).check?.recovered],
      [false, true],
    );
    assert.equal(split(reloaded(200)).check?.recovered, false, 'healthy again only once');
  });

  it('after a crash loop, the first healthy check is news too', () => {
    const split = createCheckSplitter();
    const crashed = { ...reloaded(200), outcome: 'crash-loop', crashLoop: { restarts: 2, pids: [3, 4] } };
    assert.equal(split({ ...crashed, health: undefined } as ActionReport).check, null);
    assert.equal(split(reloaded(200)).check?.recovered, true);
  });

  it('a report without a check passes through untouched', () => {
    const split = createCheckSplitter();
    const touch: ActionReport = { action: 'touch', script: '/srv/app.wsgi', ms: 1 };
    assert.deepEqual(split(touch), { report: touch, check: null });
  });
});
