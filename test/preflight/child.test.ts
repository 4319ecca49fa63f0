import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { runBounded } from '../../src/preflight/child.js';

/** A real child: node running `code`, reading its stdin first. */
function child(code: string) {
  const process_ = spawn(
    process.execPath,
    ['-e', `process.stdin.resume();process.stdin.on('end',()=>{${code}})`],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const run = (maxBytes: number, timeoutMs: number) =>
    runBounded(process_, {
      output: process_.stdout,
      maxBytes,
      timeoutMs,
      tooMuch: 'too much',
      late: 'too late',
      kill: () => process_.kill('SIGKILL'),
      input: { x: 1 },
    });
  return run;
}

describe('runBounded (real child processes)', () => {
  it('its answer, exit code and last stderr line', async () => {
    const exit = await child(
      "process.stdout.write('ok');process.stderr.write('a\\nlast\\n');process.exit(3)",
    )(1000, 10_000);
    assert.deepEqual(exit, { output: 'ok', code: 3, signal: null, lastError: 'last' });
  });

  it('more output than the bound, or no end in time: rejected, the child killed', async () => {
    await assert.rejects(
      child("process.stdout.write('x'.repeat(5000));setTimeout(()=>{},60000)")(100, 10_000),
      /too much/,
    );
    await assert.rejects(child('setTimeout(()=>{},60000)')(100, 200), /too late/);
  });
});
