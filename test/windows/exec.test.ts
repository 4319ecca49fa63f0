// The real executor runs real programs on every platform: node itself stands in for sc.exe and net.exe.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createExecutor } from '../../src/windows/exec.js';

const node = process.execPath;

describe('createExecutor (real processes)', () => {
  it('exit 0: code 0 and both streams as the program wrote them', async () => {
    const result = await createExecutor().run(node, [
      '-e',
      "process.stdout.write('SERVICE_NAME: Apache2.4\\r\\n'); process.stderr.write('warning\\n')",
    ]);
    assert.deepEqual(result, { code: 0, stdout: 'SERVICE_NAME: Apache2.4\r\n', stderr: 'warning\n' });
  });

  it('a non-zero exit: that code, with what the program said (net.exe exits 2 and explains)', async () => {
    const result = await createExecutor().run(node, [
      '-e',
      "process.stdout.write('partial'); process.stderr.write('System error 5 has occurred.'); process.exit(2)",
    ]);
    assert.deepEqual(result, { code: 2, stdout: 'partial', stderr: 'System error 5 has occurred.' });
  });

  it('a program that does not exist: no code, error ENOENT', async () => {
    const result = await createExecutor().run('wsgictl-no-such-program.exe', ['-k', 'restart']);
    assert.deepEqual(result, { code: null, stdout: '', stderr: '', error: 'ENOENT' });
  });

  it('arguments reach the program as they are, never through a shell', async () => {
    const tricky = ['Apache2.4" & echo injected', '$(echo injected)', 'a;b|c', '%PATH%', 'type= service'];
    const result = await createExecutor().run(node, [
      '-e',
      'process.stdout.write(JSON.stringify(process.argv.slice(1)))',
      ...tricky,
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), tricky);
  });

  it('a program that outlives the timeout is killed: no code, error ETIMEDOUT, what it said so far', async () => {
    const result = await createExecutor(1500).run(node, [
      '-e',
      "process.stdout.write('waiting\\n'); setTimeout(() => {}, 60000)",
    ]);
    assert.equal(result.code, null);
    assert.equal(result.error, 'ETIMEDOUT');
    assert.equal(result.stdout, 'waiting\n');
  });
});
