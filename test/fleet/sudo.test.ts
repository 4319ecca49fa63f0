import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HostReloadReport } from '../../src/cli/fleet-reload.js';
import type { PsRecord } from '../../src/ps/records.js';
import { apacheSkipReason, requireRoot } from '../helpers/apache.js';
import { REPO, runCli } from '../helpers/cli.js';
import { type SimFleet, startFleet } from '../helpers/hosts.js';

const skip = apacheSkipReason();

/** The sudoers line the README gives, for wsgictl installed at /usr/local/bin/wsgictl. */
function readmeSudoersLine(): string {
  const line = readFileSync(join(REPO, 'README.md'), 'utf8')
    .split('\n')
    .find((each) => each.startsWith('deploy ALL=(root) NOPASSWD:'));
  return line ?? assert.fail('the README has no sudoers line for deploy');
}

/**
 * A host where the login is `deploy`, not root, and sudo allows exactly what the README's sudoers line
 * allows: wsgictl's reload and ps run as root there, anything else is refused by sudo.
 */
describe("the README's sudoers line, on a simulated host with a real sudo", { skip }, () => {
  let fleet: SimFleet;
  let remote: string[];
  before(async () => {
    requireRoot('the simulated hosts (unshare, sshd, sudo)');
    const sudoers = readmeSudoersLine().replaceAll('/usr/local/bin/wsgictl', 'REMOTE');
    fleet = await startFleet([{ name: 'h1', groups: [{ name: 'django', processes: 2 }], sudoers }]);
    remote = [
      '--ssh-config',
      fleet.sshConfig,
      '--remote-wsgictl',
      `sudo -n ${fleet.remoteWsgictl}`,
      '--host',
      'deploy@h1',
    ];
  });
  after(() => fleet?.stop());

  it('ps and reload run as root through sudo -n: daemons told apart by socket, django replaced', async () => {
    const ps = await runCli(['ps', '--json', ...remote]);
    assert.equal(ps.code, 0, ps.stderr);
    const daemons = (JSON.parse(ps.stdout) as (PsRecord & { host: string })[]).filter(
      (r) => r.role === 'daemon',
    );
    assert.deepEqual(
      daemons.map((r) => [r.host, r.group, r.via]),
      [
        ['deploy@h1', 'django', 'socket'],
        ['deploy@h1', 'django', 'socket'],
      ],
    );
    const reload = await runCli(['reload', 'django', '--json', ...remote]);
    assert.equal(reload.code, 0, reload.stderr);
    const [report] = JSON.parse(reload.stdout) as HostReloadReport[];
    assert.equal(report?.results?.[0]?.outcome, 'replaced');
    assert.deepEqual(report?.results?.[0]?.oldPids.sort(), daemons.map((r) => r.pid).sort());
  });

  it('what the line does not allow is refused by sudo, and said so (exit 6)', async () => {
    const logs = await runCli([
      'reload',
      'django',
      '--json',
      ...remote.slice(0, 3),
      `sudo -n ${fleet.remoteWsgictl.replace('wsgictl', 'other')}`,
      '--host',
      'deploy@h1',
    ]);
    assert.equal(logs.code, 6, logs.stderr);
    assert.match(
      logs.stderr,
      /^wsgictl: deploy@h1: sudo asks for a password there: allow wsgictl without one/m,
    );
  });
});
