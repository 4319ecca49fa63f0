import assert from 'node:assert/strict';
import { test } from 'node:test';
import { envelopedArgv, type ServedIo, serveEnvelope } from '../../src/fleet/serve.js';
import { VERSION } from '../../src/version.js';

test('only --envelope as the first word is an enveloped run; glued to the command it stays one word', () => {
  assert.equal(envelopedArgv(['node', 'wsgictl', 'ps', '--envelope']), undefined);
  assert.deepEqual(envelopedArgv(['node', 'wsgictl', '--envelope', 'ps', '--json']), [
    'node',
    'wsgictl',
    'ps',
    '--json',
  ]);
  assert.deepEqual(envelopedArgv(['node', 'wsgictl', '--envelope reload', 'x']), [
    'node',
    'wsgictl',
    '--envelope reload',
    'x',
  ]);
});

function host() {
  const printed: string[] = [];
  return {
    printed,
    out: (text: string) => printed.push(text),
    stopSignal: () => new Promise<'SIGINT' | 'SIGTERM'>(() => {}),
    callerStop: () => Promise.resolve('SIGINT' as const),
  };
}

test('a refused call prints a usage envelope and runs nothing', async () => {
  const h = host();
  let ran = false;
  const code = await serveEnvelope(['node', 'wsgictl', 'reload', '--touch=/etc/x'], h, async () => {
    ran = true;
    return { exitCode: 0 };
  });
  assert.equal(code, 2);
  assert.equal(ran, false);
  const envelope = JSON.parse(h.printed.join(''));
  assert.equal(envelope.exitCode, 2);
  assert.equal(envelope.error.code, 'USAGE');
  assert.match(
    envelope.error.message,
    /^--touch cannot be used through --envelope: it names a file to touch/,
  );
});

test("the command's output and outcome in one JSON line; the caller's stop line stops it", async () => {
  const h = host();
  const code = await serveEnvelope(['node', 'wsgictl', 'ps', '--json'], h, async (argv, io: ServedIo) => {
    io.out('[]\n');
    io.err('a warning\n');
    assert.equal(await io.stopSignal(), 'SIGINT');
    return { exitCode: 3, error: { code: 'NO_SUCH_GROUP', message: argv.slice(2).join(' ') } };
  });
  assert.equal(code, 3);
  assert.equal(h.printed.length, 1);
  assert.deepEqual(JSON.parse(h.printed[0] ?? ''), {
    wsgictl: VERSION,
    exitCode: 3,
    stdout: '[]\n',
    stderr: 'a warning\n',
    error: { code: 'NO_SUCH_GROUP', message: 'ps --json' },
  });
});
