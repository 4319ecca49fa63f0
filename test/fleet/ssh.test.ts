import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  remoteCommandLine,
  runSsh,
  STDERR_LIMIT_BYTES,
  STDOUT_LIMIT_BYTES,
  shellQuote,
  sshArguments,
  sshExitArguments,
} from '../../src/fleet/ssh.js';

const settings = { options: [], remoteCommand: 'sudo -n wsgictl' };

test('BatchMode=yes comes before anything the user passes, so ssh never prompts', () => {
  const args = sshArguments(
    'web1',
    { ...settings, configFile: '/etc/fleet/ssh_config', options: ['BatchMode=no', 'Port=2222'] },
    ['ps'],
  );
  assert.deepEqual(args, [
    '-o',
    'BatchMode=yes',
    '-F',
    '/etc/fleet/ssh_config',
    '-o',
    'BatchMode=no',
    '-o',
    'Port=2222',
    '--',
    'web1',
    'sudo -n wsgictl --envelope ps',
  ]);
});

test('a persistent connection: ControlMaster in the private folder, closed with -O exit', () => {
  const args = sshArguments('web1', { ...settings, controlDir: '/tmp/wsgictl-ssh-x' }, ['reload', 'django']);
  assert.ok(
    args
      .join(' ')
      .includes('-o ControlMaster=auto -o ControlPath=/tmp/wsgictl-ssh-x/%C -o ControlPersist=10m -- web1'),
  );
  // The close names the same connection: the user's Port is part of ControlPath's %C.
  const exit = {
    ...settings,
    configFile: '/etc/fleet/ssh_config',
    options: ['Port=2222'],
    controlDir: '/tmp/d',
  };
  assert.deepEqual(sshExitArguments('web1', exit), [
    '-o',
    'BatchMode=yes',
    '-F',
    '/etc/fleet/ssh_config',
    '-o',
    'Port=2222',
    '-o',
    'ControlMaster=auto',
    '-o',
    'ControlPath=/tmp/d/%C',
    '-o',
    'ControlPersist=10m',
    '-O',
    'exit',
    '--',
    'web1',
  ]);
});

test('our words reach the remote shell as they were, whatever they hold', () => {
  const words = [
    'reload',
    'my group',
    "it's",
    '--check=http://127.0.0.1/a?b=1&c=2',
    '$(touch /tmp/pwned)',
    '`id`',
    'a;b',
    '',
  ];
  const line = remoteCommandLine({ options: [], remoteCommand: 'printf "%s\\n"' }, words);
  // The line as the host's shell runs it: each word comes out whole, nothing expanded.
  const printed = execFileSync('sh', ['-c', line], { encoding: 'utf8' });
  assert.deepEqual(printed.split('\n').slice(0, -1), ['--envelope', ...words]);
  assert.equal(shellQuote('django'), 'django');
  assert.equal(shellQuote('--timeout=30s'), '--timeout=30s');
});

test('an "ssh" that prints past the cap: collecting stops, it and its children are ended, the cap is said', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wsgictl-ssh-cap-'));
  const path = process.env.PATH;
  try {
    // A real process tree in ssh's place: sh prints, then its child sleeps; both must go.
    writeFileSync(
      join(dir, 'ssh'),
      `#!/bin/sh\nsleep 60 &\necho $! > ${dir}/sleep.pid\nhead -c "$1" /dev/zero | tr '\\0' x >&"$2"\nwait\n`,
      { mode: 0o755 },
    );
    process.env.PATH = `${dir}:${path}`;
    for (const [stream, fd, limit] of [
      ['stdout', '1', STDOUT_LIMIT_BYTES],
      ['stderr', '2', STDERR_LIMIT_BYTES],
    ] as const) {
      const started = Date.now();
      const output = await runSsh([String(limit + 4096), fd], { detached: false });
      assert.deepEqual(output.overflow, { stream, limitBytes: limit });
      assert.ok(output[stream].length <= limit, `${stream} kept ${output[stream].length} bytes`);
      assert.ok(Date.now() - started < 30_000, 'ended, not waited for');
      const sleeper = Number(readFileSync(join(dir, 'sleep.pid'), 'utf8'));
      let state = '';
      try {
        state = readFileSync(`/proc/${sleeper}/status`, 'utf8').match(/^State:.*$/m)?.[0] ?? '';
      } catch {}
      // Gone, or dead and waiting for its new parent to reap it.
      assert.match(state, /^$|Z \(zombie\)/, 'its child was ended too');
    }
    const small = await runSsh(['10', '1'], { detached: false });
    assert.deepEqual([small.stdout, small.overflow, small.exitCode], ['xxxxxxxxxx', undefined, 0]);
  } finally {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  }
});
