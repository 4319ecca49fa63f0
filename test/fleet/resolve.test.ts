import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { WsgictlError } from '../../src/errors.js';
import { resolveFleet } from '../../src/fleet/resolve.js';

const noStdin = () => {
  throw new Error('stdin read without --hosts-file -');
};

test('no hosts: run here (null)', () => {
  assert.equal(resolveFleet({}, { cwd: '/', readStdin: noStdin }), null);
});

test('an ssh option without hosts is a usage error naming it', () => {
  assert.throws(
    () => resolveFleet({ sshOption: ['Port=2222'] }, { cwd: '/', readStdin: noStdin }),
    (error: unknown) =>
      error instanceof WsgictlError &&
      error.exitCode === 2 &&
      error.message === '--ssh-option goes with --host NAME or --hosts-file FILE',
  );
});

test('hosts from --host then the file, once each; the ssh config read against cwd; the default command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wsgictl-resolve-'));
  try {
    writeFileSync(join(dir, 'hosts'), 'web2\n# a comment\nweb1\n');
    const fleet = resolveFleet(
      { host: ['web1'], hostsFile: 'hosts', sshConfig: 'ssh_config' },
      { cwd: dir, readStdin: noStdin },
    );
    assert.deepEqual(fleet, {
      hosts: ['web1', 'web2'],
      ssh: { configFile: join(dir, 'ssh_config'), options: [], remoteCommand: 'wsgictl' },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--hosts-file - reads stdin', () => {
  const fleet = resolveFleet(
    { hostsFile: '-', remoteWsgictl: 'sudo -n wsgictl' },
    { cwd: '/', readStdin: () => 'a\nb\n' },
  );
  assert.deepEqual(fleet?.hosts, ['a', 'b']);
  assert.equal(fleet?.ssh.remoteCommand, 'sudo -n wsgictl');
});
