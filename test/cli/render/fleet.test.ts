import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PLAIN } from '../../../src/cli/color.js';
import { describeFailures, describeSummary } from '../../../src/cli/render/fleet.js';
import type { HostRun } from '../../../src/fleet/pool.js';

const runs: HostRun[] = [
  { host: 'web1', state: 'done', ms: 1234, outcome: { host: 'web1', exitCode: 0 } },
  {
    host: 'web22',
    state: 'failed',
    ms: 12_000,
    outcome: {
      host: 'web22',
      exitCode: 6,
      failure: { kind: 'auth', message: 'ssh: Permission denied\x1b[2J' },
    },
  },
  { host: 'web3', state: 'not-started', ms: 0 },
];

test('the summary: counts, then each host with its state, time and short reason', () => {
  assert.deepEqual(describeSummary({ runs, interrupted: false }, PLAIN), [
    'hosts: 1 done, 1 failed, 1 not started',
    '  web1   done         1.23s',
    '  web22  failed       12s  ssh authentication failed (exit 6)',
    '  web3   not started',
  ]);
  assert.match(describeSummary({ runs, interrupted: true }, PLAIN)[0] ?? '', /\(stopped by Ctrl-C\)$/);
});

test('one line per failed host, its message neutralised', () => {
  const lines = describeFailures(runs, PLAIN);
  assert.equal(lines.length, 1);
  assert.match(lines[0] ?? '', /^wsgictl: web22: ssh: Permission denied/);
  assert.equal((lines[0] ?? '').includes('\x1b'), false);
});
