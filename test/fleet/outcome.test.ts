import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fleetExitCode, hostOutcome } from '../../src/fleet/outcome.js';
import { VERSION } from '../../src/version.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/ssh');
const recorded = (name: string) => readFileSync(resolve(FIXTURES, name), 'utf8');
const ssh = (exitCode: number, stderr: string, stdout = '') => ({ exitCode, signal: null, stdout, stderr });
const envelope = (fields: object) =>
  `${JSON.stringify({ wsgictl: VERSION, stdout: '', stderr: '', ...fields })}\n`;

test("ssh's own failures (exit 255) are named from its recorded messages", () => {
  const cases: [string, string, RegExp][] = [
    ['refused.txt', 'refused', /connection refused .*port 44561/],
    ['auth.txt', 'auth', /ssh authentication failed; wsgictl never prompts/],
    ['unknown-host.txt', 'unreachable', /unknown host name/],
    ['host-key.txt', 'host-key', /host key not known or changed/],
  ];
  for (const [file, kind, message] of cases) {
    const outcome = hostOutcome('web1', ssh(255, recorded(file)), 'wsgictl');
    assert.equal(outcome.exitCode, 6, file);
    assert.equal(outcome.failure?.kind, kind, file);
    assert.match(outcome.failure?.message ?? '', message, file);
  }
});

test('wsgictl missing on the host (exit 127) says how to install it or name it', () => {
  for (const file of ['not-installed.txt', 'command-not-found.txt']) {
    const outcome = hostOutcome('web1', ssh(127, recorded(file)), 'wsgictl');
    assert.equal(outcome.failure?.kind, 'not-installed');
    assert.match(outcome.failure?.message ?? '', /npm install -g wsgictl.*--remote-wsgictl/);
    assert.equal(outcome.exitCode, 6);
  }
});

test('sudo that wants a password, and a wsgictl without --envelope, are named', () => {
  const sudo = hostOutcome('web1', ssh(1, 'sudo: a password is required\n'), 'sudo -n wsgictl');
  assert.equal(sudo.failure?.kind, 'sudo');
  // What a wsgictl from before 0.2.0 prints: commander's own unknown-option error.
  const old = hostOutcome('web1', ssh(2, "wsgictl: unknown option '--envelope' (see --help)\n"), 'wsgictl');
  assert.equal(old.failure?.kind, 'too-old');
  assert.match(old.failure?.message ?? '', /older than 0\.2\.0/);
});

test("the host's wsgictl answers: its exit code, version and message pass through", () => {
  const ok = hostOutcome(
    'web1',
    ssh(0, '', `Welcome to web1\n${envelope({ exitCode: 0, stdout: '[]' })}`),
    'wsgictl',
  );
  assert.deepEqual([ok.exitCode, ok.version, ok.failure], [0, VERSION, undefined]);
  const refused = hostOutcome(
    'web1',
    ssh(5, '', envelope({ exitCode: 5, error: { code: 'REFUSED', message: 'the configuration changed' } })),
    'wsgictl',
  );
  assert.deepEqual(
    [refused.exitCode, refused.failure],
    [5, { kind: 'remote', message: 'the configuration changed' }],
  );
  const older = hostOutcome(
    'web1',
    ssh(
      2,
      '',
      `${JSON.stringify({ wsgictl: '0.2.0-old', exitCode: 2, stdout: '', stderr: '', error: { code: 'USAGE', message: "unknown option '--check'" } })}\n`,
    ),
    'wsgictl',
  );
  assert.equal(older.failure?.kind, 'too-old');
  assert.match(older.failure?.message ?? '', /wsgictl 0\.2\.0-old does not know --check/);
});

test("an answer that is not wsgictl's is not taken for one", () => {
  const other = hostOutcome('web1', ssh(1, 'Segmentation fault\n', '{"not": "ours"}\n'), 'wsgictl');
  assert.deepEqual([other.exitCode, other.failure?.kind], [6, 'remote']);
  assert.match(other.failure?.message ?? '', /no answer wsgictl understands \(exit 1\): Segmentation fault/);
});

test('the fleet exit code: 0 when all succeeded, else the most serious failure', () => {
  const outcome = (exitCode: number) => ({ host: 'h', exitCode });
  assert.equal(fleetExitCode([outcome(0), outcome(0)], false), 0);
  assert.equal(fleetExitCode([outcome(0)], true), 130);
  assert.equal(fleetExitCode([outcome(3), outcome(6), outcome(0)], false), 6);
  assert.equal(fleetExitCode([outcome(6), outcome(5)], false), 5);
  assert.equal(fleetExitCode([outcome(5), outcome(1), outcome(4)], true), 1);
});
