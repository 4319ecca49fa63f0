import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findEnvelope } from '../../src/fleet/envelope.js';

const good = { wsgictl: '0.2.0', exitCode: 3, stdout: '', stderr: 'x\n' };
const line = (value: unknown) => `${JSON.stringify(value)}\n`;

test("an envelope is wsgictl's answer only when every field has its shape", () => {
  assert.deepEqual(findEnvelope(line(good)), good);
  const error = { code: 'NO_SUCH_GROUP', message: 'no group "x"' };
  assert.deepEqual(findEnvelope(line({ ...good, error })), { ...good, error });
  assert.deepEqual(findEnvelope(line({ ...good, error: { code: 'UNEXPECTED', message: 'm' } }))?.error, {
    code: 'UNEXPECTED',
    message: 'm',
  });
  // Fields wsgictl never writes are not carried on.
  assert.deepEqual(findEnvelope(line({ ...good, host: 'other', extra: 1 })), good);
  for (const bad of [
    { ...good, wsgictl: 'v'.repeat(65) },
    { ...good, wsgictl: '' },
    { ...good, wsgictl: 2 },
    { ...good, exitCode: 1.5 },
    { ...good, exitCode: -1 },
    { ...good, exitCode: 256 },
    { ...good, exitCode: '0' },
    { ...good, stdout: ['x'] },
    { ...good, stderr: undefined },
    { ...good, error: 'oops' },
    { ...good, error: null },
    { ...good, error: [] },
    { ...good, error: { code: 'ROOT', message: 'm' } },
    { ...good, error: { code: 'toString', message: 'm' } },
    { ...good, error: { code: 'USAGE', message: { html: 1 } } },
    { ...good, error: { code: 'USAGE' } },
    [good],
  ])
    assert.equal(findEnvelope(line(bad)), undefined, JSON.stringify(bad));
  // A bad last line does not hide an earlier good one; a good last line wins.
  assert.deepEqual(findEnvelope(`${line(good)}${line({ ...good, exitCode: 'x' })}`), good);
  // A host that prints millions of JSON-looking lines is answered at once, not after a minute.
  const started = Date.now();
  assert.equal(findEnvelope(`${line(good)}${'{\n'.repeat(4 * 1024 * 1024)}`), undefined);
  assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
});
