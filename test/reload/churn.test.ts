import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { apacheSkipReason, useSandbox, waitFor } from '../helpers/apache.js';
import { runCli } from '../helpers/cli.js';

const skip = apacheSkipReason();

describe('a group that churns on its own (maximum-requests=1 under load, real Apache)', {
  skip,
  timeout: 240_000,
}, () => {
  it('five reloads in a row: each replaces the group or says honestly why not; never a crash loop, never "is the configuration loaded?"', async (t) => {
    const sandbox = await useSandbox(t, {
      groups: [{ name: 'churn', processes: 3, threads: 1, options: 'maximum-requests=1' }],
    });
    // Every request ends its daemon ("Maximum requests reached"); the parent starts another about once a
    // second, so the group often has no process at all. Loopback only, bounded in time and count.
    const ab = spawn(
      'ab',
      ['-l', '-t', '60', '-n', '5000', '-s', '30', '-c', '4', sandbox.url('churn', '/')],
      {
        stdio: 'ignore',
      },
    );
    t.after(() => ab.kill());
    await waitFor('the churn to start', () => sandbox.startedDaemons().size > 6, 30_000);
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const run = await runCli(['reload', 'churn', '--timeout', '15s', '--instance', String(sandbox.pid)]);
      const said = run.stdout + run.stderr;
      outcomes.push(`exit ${run.code}: ${said.trim().split('\n').join(' | ')}`);
      assert.doesNotMatch(said, /crash-looping/, outcomes.join('\n'));
      assert.doesNotMatch(said, /configuration loaded/, outcomes.join('\n'));
      assert.doesNotMatch(said, /its cut name fits/, outcomes.join('\n'));
      // Exit 0, or the honest line for a group caught with no process for the whole wait.
      if (run.code !== 0) {
        assert.match(
          said,
          /group churn has no process at this moment; its listener exists, so it is configured: its daemons are restarting/,
          outcomes.join('\n'),
        );
      }
    }
    t.diagnostic(outcomes.join('\n'));
    const replaced = outcomes.filter((line) => line.startsWith('exit 0')).length;
    assert.ok(replaced >= 3, `most reloads should go through:\n${outcomes.join('\n')}`);
    assert.equal(ab.exitCode, null, 'the load still ran during every reload');
  });
});
