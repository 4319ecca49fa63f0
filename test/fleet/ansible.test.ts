import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PsRecord } from '../../src/groups/records.js';
import { apacheSkipReason, requireRoot } from '../helpers/apache.js';
import { REPO, runCli } from '../helpers/cli.js';
import { type SimFleet, startFleet } from '../helpers/hosts.js';

const skip = apacheSkipReason();
const GROUPS = [{ name: 'django', processes: 2 }, { name: 'flask' }];

/** examples/ansible/reload.yml, run by a real ansible-playbook against simulated hosts. */
describe('the Ansible example (serial: 1, fails the host on a non-zero exit)', { skip }, () => {
  let fleet: SimFleet;
  let dir: string;
  before(async () => {
    requireRoot('the simulated hosts (unshare, sshd)');
    const found = spawnSync('ansible-playbook', ['--version']);
    if (found.error) throw new Error('ansible-playbook is not installed: apt-get install ansible-core');
    fleet = await startFleet([
      { name: 'h1', groups: GROUPS },
      { name: 'h2', groups: GROUPS },
      { name: 'h3', groups: GROUPS },
    ]);
    dir = mkdtempSync(join(tmpdir(), 'wsgictl-ansible-'));
    writeFileSync(
      join(dir, 'inventory.ini'),
      `[web]\nh1\nh2\nh3\n\n[web:vars]\nansible_python_interpreter=/usr/bin/python3\nansible_ssh_common_args=-F ${fleet.sshConfig}\n`,
    );
  });
  after(async () => {
    await fleet?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function playbook(group: string) {
    return spawnSync(
      'ansible-playbook',
      [
        '-i',
        join(dir, 'inventory.ini'),
        join(REPO, 'examples/ansible/reload.yml'),
        '-e',
        `group=${group}`,
        '-e',
        `wsgictl=${fleet.remoteWsgictl}`,
      ],
      {
        encoding: 'utf8',
        timeout: 120_000,
        env: {
          ...process.env,
          ANSIBLE_NOCOLOR: '1',
          ANSIBLE_HOST_KEY_CHECKING: 'False',
          ANSIBLE_LOCAL_TEMP: join(dir, 'tmp'),
          ANSIBLE_REMOTE_TEMP: join(dir, 'remote-tmp'),
          // No ControlPersist: no ssh master left running after the play.
          ANSIBLE_SSH_ARGS: '-o ControlMaster=no',
        },
      },
    );
  }

  async function django(): Promise<Map<string, number[]>> {
    const result = await runCli(['ps', 'django', '--json', ...fleet.args(['h1', 'h2', 'h3'])]);
    const byHost = new Map<string, number[]>();
    for (const record of JSON.parse(result.stdout) as (PsRecord & { host: string })[]) {
      if (record.role === 'daemon') byHost.set(record.host, [...(byHost.get(record.host) ?? []), record.pid]);
    }
    return byHost;
  }

  it('reloads the group on every host, one at a time, with the check', async () => {
    const before = await django();
    const run = playbook('django');
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      /ok: \[h1\].*ok: \[h2\].*ok: \[h3\]/s,
      'the hosts in order, one play batch each',
    );
    assert.match(run.stdout, /h1 +: ok=2 +changed=1 +unreachable=0 +failed=0/);
    const now = await django();
    for (const host of ['h1', 'h2', 'h3']) {
      assert.equal(now.get(host)?.length, 2, host);
      assert.deepEqual(
        now.get(host)?.filter((pid) => before.get(host)?.includes(pid)),
        [],
        `${host} reloaded`,
      );
    }
  });

  it('a host where wsgictl fails fails the play there: hosts after it are left alone', async () => {
    await fleet.hosts[1]?.stopApache();
    try {
      const before = await django();
      const run = playbook('django');
      assert.notEqual(run.status, 0);
      assert.match(run.stdout, /fatal: \[h2\]: FAILED!/);
      assert.doesNotMatch(run.stdout, /\[h3\]|^h3 /m, 'h3 never ran a task');
      const now = await django();
      assert.deepEqual(
        now.get('h1')?.filter((pid) => before.get('h1')?.includes(pid)),
        [],
        'h1 reloaded',
      );
      assert.deepEqual(now.get('h3'), before.get('h3'), 'h3 untouched');
    } finally {
      await fleet.hosts[1]?.startApache(GROUPS);
    }
  });
});
