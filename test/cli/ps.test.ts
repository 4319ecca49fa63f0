import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apacheSkipReason, useSandbox } from '../helpers/apache.js';
import { runCli } from '../helpers/cli.js';

const skip = apacheSkipReason();

describe('wsgictl ps --workers', { skip }, () => {
  it('lists the parent and workers only when asked; --all (which means "every group" to reload) is gone', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django' }] });
    const instance = ['--instance', String(sandbox.pid)];
    const workers = await runCli(['ps', '--workers', ...instance]);
    assert.equal(workers.code, 0, workers.stderr);
    assert.match(workers.stdout, /\n {2}parent and workers\n\s+PID\s+USER\s+UPTIME\s+RSS\s+ROLE\n/);
    assert.match(workers.stdout, new RegExp(`\\n\\s+${sandbox.pid}\\s.*\\sparent\\n`));
    const plain = await runCli(['ps', ...instance]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.doesNotMatch(plain.stdout, /parent and workers/);
    for (const old of ['--all', '-a']) {
      const result = await runCli(['ps', old, ...instance]);
      assert.equal(result.code, 2, old);
      assert.match(result.stderr, /unknown option/);
    }
  });
});
