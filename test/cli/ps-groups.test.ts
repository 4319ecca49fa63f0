import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox } from '../../src/sandbox/apache.js';
import type { Sandbox } from '../../src/sandbox/types.js';
import { apacheSkipReason, requireRoot, useSandbox } from '../helpers/apache.js';
import { NOBODY, runCli } from '../helpers/cli.js';
import { type SimFleet, startFleet } from '../helpers/hosts.js';

const skip = apacheSkipReason();

/** The `apache2 pid N` heads of a ps table. */
function heads(table: string): number[] {
  return [...table.matchAll(/^apache2 pid (\d+) /gm)].map((match) => Number(match[1]));
}

// Group names no other test's Apache uses: other instances on this machine hold none of them.
describe('ps GROUP lists only the instances that have the group', { skip, timeout: 120_000 }, () => {
  it('locally: the instance without it is not shown; asked of that instance alone, one line, exit 3', async (t) => {
    const [holder, other] = await Promise.all([
      useSandbox(t, { argv0: 'apache2', groups: [{ name: 'psheld' }] }),
      useSandbox(t, { argv0: 'apache2', groups: [{ name: 'psother' }] }),
    ]);
    const result = await runCli(['ps', 'psheld']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(heads(result.stdout), [holder.pid], result.stdout);
    assert.match(result.stdout, /^ {2}psheld {2}1\/1 running/m);
    const none = await runCli(['ps', 'psheld', '--instance', String(other.pid)]);
    assert.equal(none.code, 3);
    assert.equal(none.stdout, '');
    assert.equal(
      none.stderr,
      `wsgictl: no group "psheld" under apache2 (pid ${other.pid}): groups are psother\n`,
    );
  });
});

describe('ps as nobody, a group without display-name', { skip, timeout: 120_000 }, () => {
  it('is "not identifiable", with why and what helps, not "0/2 running" while both run', async (t) => {
    const sandbox = await useSandbox(t, {
      argv0: 'apache2',
      groups: [{ name: 'psplain', displayName: null, processes: 2 }, { name: 'psnamed' }],
    });
    const instance = ['--instance', String(sandbox.pid)];
    const asRoot = await runCli(['ps', ...instance]);
    assert.equal(asRoot.code, 0, asRoot.stderr);
    assert.match(asRoot.stdout, /^ {2}psplain {2}2\/2 running$/m, 'both run, as root sees');
    requireRoot('running wsgictl as nobody');
    for (const args of [
      ['ps', ...instance],
      ['ps', 'psplain', ...instance],
    ]) {
      const asNobody = await runCli(args, NOBODY);
      assert.equal(asNobody.code, 0, asNobody.stderr);
      assert.doesNotMatch(asNobody.stdout, /psplain {2}0\/2/);
      assert.match(
        asNobody.stdout,
        /^ {2}psplain {2}not identifiable \(2 configured\): without a display-name its daemons show Apache's own name "apache2", like its workers, and only root can read their sockets \(mod_wsgi makes its daemons non-dumpable when it drops privileges\): run wsgictl with sudo, or add display-name=%\{GROUP\} to its WSGIDaemonProcess$/m,
        args.join(' '),
      );
    }
  });
});

describe('ps GROUP --host: each host lists only its instances that have the group', {
  skip,
  timeout: 180_000,
}, () => {
  let fleet: SimFleet;
  let second: Sandbox | undefined;
  before(async () => {
    requireRoot('the simulated hosts (unshare, sshd)');
    fleet = await startFleet([
      { name: 'h1', groups: [{ name: 'django' }] },
      { name: 'h2', groups: [{ name: 'flask' }] },
    ]);
    // h1 runs a second Apache, without django.
    const h1 = fleet.hosts[0] ?? assert.fail('h1');
    second = await startSandbox({ groups: [{ name: 'flask' }], namespaces: { enter: h1.pid } });
  });
  after(async () => {
    await second?.stop();
    await fleet?.stop();
  });

  it('h1: the Apache with django only; h2, which has none: one line, exit 3', async () => {
    const [h1] = fleet.hosts;
    const result = await runCli(['ps', 'django', ...fleet.args(['h1', 'h2'])]);
    assert.equal(result.code, 3, result.stderr);
    const [one, two] = result.stdout.split('\n\n');
    assert.deepEqual(heads(one ?? ''), [h1?.hostPid(h1.apache?.pid ?? 0)], result.stdout);
    assert.match(one ?? '', /^ {2}django {2}1\/1 running/m);
    assert.match(
      two ?? '',
      /^h2\n {2}failed: no group "django" under apache2 \(pid \d+\): groups are flask\n?$/,
    );
  });
});
