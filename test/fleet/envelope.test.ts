import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findEnvelope } from '../../src/fleet/envelope.js';
import { refuseEnvelopeArguments } from '../../src/fleet/envelope-args.js';

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

test('--envelope takes only what --host sends: ps, reload (no file, URL, service or fleet option), --version', () => {
  for (const args of [
    ['--version'],
    ['ps'],
    ['ps', 'django', '--json', '--workers'],
    ['reload', 'django', '--rolling', '--timeout=1m', '--no-wait', '--json', '--check', '--check-timeout=5s'],
    ['reload', 'django', '--check'],
    ['reload', '--all', '--graceful', '--signal=TERM', '--dry-run', '--trust-config', '--allow-stop-start'],
    ['reload', '--signal', 'USR1', 'django'],
    // After --, every word is a group name, as commander reads it.
    ['reload', '--', '--touch', '/root/x'],
  ])
    assert.equal(refuseEnvelopeArguments(args), undefined, args.join(' '));
  const refused: [string[], string][] = [
    [[], '(nothing)'],
    [['watch', '.', '--group', 'g'], 'watch'],
    [['logs', 'django'], 'logs'],
    [['demo'], 'demo'],
    [['--verbose', 'ps'], '--verbose'],
    [['--version', 'x'], '--version'],
    [['--envelope reload', 'x'], '--envelope reload'],
    [['ps', '--help'], '--help'],
    [['ps', '-h'], '-h'],
    // A pid means nothing across hosts; through sudo it would have root read an untrusted Apache.
    [['ps', '--instance=812'], '--instance'],
    [['reload', 'g', '--instance', '812'], '--instance'],
    [['reload', 'g', '--touch', '/root/victim.txt'], '--touch'],
    [['reload', 'g', '--touch=/root/victim.txt'], '--touch'],
    [['reload', 'g', '--url=http://127.0.0.1/'], '--url'],
    [['reload', 'g', '--check=http://10.0.0.1/'], '--check'],
    [['reload', 'g', '--check', 'http://10.0.0.1/'], '--check'],
    [['reload', 'g', '--pidfile=/etc/shadow'], '--pidfile'],
    [['reload', 'g', '--service', 'sshd'], '--service'],
    [['reload', 'g', '--json=1'], '--json'],
    [['ps', '--hosts-file', '/etc/shadow'], '--hosts-file'],
    [['ps', '--ssh-option', 'ProxyCommand=sh -c "id > /tmp/x"', '--host', 'x'], '--ssh-option'],
    [['ps', '--host=x'], '--host'],
    [['ps', '--ssh-config=/etc/shadow'], '--ssh-config'],
    [['reload', 'g', '--remote-wsgictl=sh'], '--remote-wsgictl'],
    [['reload', 'g', '--parallel=2'], '--parallel'],
    [['reload', 'g', '--keep-going'], '--keep-going'],
    [['ps', '--rolling'], '--rolling'],
    // The value of --timeout is skipped, the option after it is not.
    [['reload', 'g', '--timeout', '1s', '--touch', '/x'], '--touch'],
  ];
  for (const [args, option] of refused)
    assert.equal(refuseEnvelopeArguments(args)?.option, option, args.join(' '));
  assert.match(
    refuseEnvelopeArguments(['ps', '--frobnicate'])?.reason ?? '',
    /unknown option '--frobnicate'/,
  );
});
