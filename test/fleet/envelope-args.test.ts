import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assertForwardable,
  describeRefusal,
  refuseEnvelopeArguments,
} from '../../src/fleet/envelope-args.js';

test('--envelope takes only what --host sends: ps, reload, graceful (no file, URL, service or fleet option), --version', () => {
  for (const args of [
    ['--version'],
    ['ps'],
    ['ps', 'django', '--json', '--workers'],
    ['reload', 'django', '--rolling', '--timeout=1m', '--no-wait', '--json', '--check', '--check-timeout=5s'],
    ['reload', 'django', '--check'],
    ['reload', '--all', '--graceful', '--signal=TERM', '--dry-run', '--trust-config', '--allow-stop-start'],
    ['reload', '--signal', 'USR1', 'django'],
    [
      'reload',
      'django',
      '--rolling',
      '--check',
      '--canary=1',
      '--no-preflight',
      '--expect=v2',
      '--expect-status=200',
    ],
    ['graceful', '--drain', '--timeout=1m', '--dry-run', '--json'],
    ['graceful', '--check', '--check-timeout=5s', '--json'],
    ['top', '--once', '--json', '--interval=2s', '--', 'django'],
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
    [['graceful', '--check=http://10.0.0.1/'], '--check'],
    [['graceful', '--instance=812'], '--instance'],
    [['graceful', '--rolling'], '--rolling'],
    // One sample per call: a top that runs on is never started there, nor one whose --once is a value.
    [['top', '--json'], 'top'],
    [['top', '--interval', '--once', '--json'], 'top'],
    [['top', '--once', '--instance=5'], '--instance'],
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

test('a refusal on the host is one line naming the option, why, and what to do instead', () => {
  const refusal = refuseEnvelopeArguments(['reload', 'g', '--touch=/root/victim.txt']);
  assert.ok(refusal);
  assert.equal(
    describeRefusal(refusal),
    '--touch cannot be used through --envelope: it names a file to touch; --envelope takes only what --host sends, run wsgictl on the host itself for anything else',
  );
});

test('the local side refuses what the host would, as a usage error (exit 2), before any host is reached', () => {
  assert.doesNotThrow(() => assertForwardable(['reload', 'django', '--rolling', '--json']));
  assert.throws(() => assertForwardable(['reload', 'django', '--service', 'sshd']), {
    code: 'USAGE',
    exitCode: 2,
    message:
      "--service cannot be used with --host: it names a service to restart, and the host's wsgictl (often root through sudo) takes none from the caller; run wsgictl on the host itself for that",
  });
  assert.throws(() => assertForwardable(['logs', 'django']), {
    code: 'USAGE',
    message: /^logs cannot be used with --host: it runs only ps, reload, graceful, top --once and --version,/,
  });
});
