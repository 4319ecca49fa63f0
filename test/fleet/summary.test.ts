import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Envelope } from '../../src/fleet/envelope.js';
import type { HostRun, PoolResult } from '../../src/fleet/pool.js';
import { findStopPoint, mergePsRecords, toHostReport } from '../../src/fleet/summary.js';

function answered(host: string, stdout: string, exitCode = 0): HostRun {
  const envelope: Envelope = { wsgictl: '0.2.0', exitCode, stdout, stderr: '' };
  return {
    host,
    state: exitCode === 0 ? 'done' : 'failed',
    startedAt: 0,
    ms: 5,
    outcome: { host, exitCode, version: '0.2.0', envelope },
  };
}

test('ps records of every host that answered, host first and not overwritable by the host', () => {
  const runs = [
    answered('web1', JSON.stringify([{ pid: 1, host: 'liar' }, 'not a record'])),
    answered('web2', JSON.stringify([{ pid: 2 }]), 1),
    answered('web3', JSON.stringify([{ pid: 3 }])),
  ];
  const merged = mergePsRecords(runs);
  assert.deepEqual(merged, [
    { host: 'web1', pid: 1 },
    { host: 'web3', pid: 3 },
  ]);
  assert.deepEqual(Object.keys(merged[0] ?? {}), ['host', 'pid']);
});

test('a reload report: the host results marked with the host, the start time in ISO form', () => {
  const report = toHostReport(answered('web1', JSON.stringify([{ group: 'django' }])));
  assert.deepEqual(report, {
    host: 'web1',
    state: 'done',
    exitCode: 0,
    startedAt: '1970-01-01T00:00:00.000Z',
    ms: 5,
    wsgictl: '0.2.0',
    results: [{ group: 'django', host: 'web1' }],
  });
  assert.deepEqual(toHostReport({ host: 'web2', state: 'not-started', ms: 0 }), {
    host: 'web2',
    state: 'not-started',
    exitCode: null,
    ms: 0,
  });
});

test('the stop point: the failed host and the hosts left out, unless Ctrl-C stopped the run', () => {
  const runs: HostRun[] = [
    answered('web1', '[]'),
    answered('web2', '[]', 1),
    { host: 'web3', state: 'not-started', ms: 0 },
    { host: 'web4', state: 'not-started', ms: 0 },
  ];
  const result: PoolResult = { runs, interrupted: false };
  assert.deepEqual(findStopPoint(result), { host: 'web2', unstarted: 2 });
  assert.equal(findStopPoint({ runs, interrupted: true }), undefined);
  assert.equal(findStopPoint({ runs: runs.slice(0, 2), interrupted: false }), undefined);
});
