import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HostReloadReport } from '../../src/fleet/summary.js';
import type { PsRecord } from '../../src/groups/records.js';
import { apacheSkipReason, requireRoot, waitFor } from '../helpers/apache.js';
import { type CliResult, interruptWhen, runCli, startCli } from '../helpers/cli.js';
import { type SimFleet, startFleet } from '../helpers/hosts.js';
import { startWatch } from '../helpers/watch.js';

const skip = apacheSkipReason();
const GROUPS = [{ name: 'django', processes: 2 }, { name: 'flask' }];

/**
 * Three simulated hosts with a real Apache each (django x2, flask), one without wsgictl, and `down` (no
 * sshd). Each host is its own pid + mount namespace with a real sshd: wsgictl reaches it over ssh.
 */
describe('many hosts over ssh (simulated hosts: pid + mount namespaces, real sshd and Apache)', {
  skip,
}, () => {
  let fleet: SimFleet;
  before(async () => {
    requireRoot('the simulated hosts (unshare, sshd)');
    fleet = await startFleet([
      { name: 'h1', groups: GROUPS },
      { name: 'h2', groups: GROUPS },
      { name: 'h3', groups: GROUPS },
      { name: 'bare', withoutWsgictl: true },
    ]);
  });
  after(() => fleet?.stop());

  const host = (name: string) => fleet.hosts.find((each) => each.name === name) ?? assert.fail(name);

  /** Each host's daemons as wsgictl lists them there: host -> group -> pids. */
  async function daemons(names: string[]): Promise<Map<string, Map<string, number[]>>> {
    const result = await runCli(['ps', '--json', ...fleet.args(names)]);
    assert.equal(result.code, 0, result.stderr);
    const byHost = new Map<string, Map<string, number[]>>(names.map((name) => [name, new Map()]));
    for (const record of JSON.parse(result.stdout) as (PsRecord & { host: string })[]) {
      if (record.role !== 'daemon' || !record.group) continue;
      const groups = byHost.get(record.host) ?? assert.fail(`unknown host ${record.host}`);
      groups.set(
        record.group,
        [...(groups.get(record.group) ?? []), record.pid].sort((a, b) => a - b),
      );
    }
    return byHost;
  }

  /** The truth on a host: what mod_wsgi logged it started there, for these (host-namespace) pids. */
  function assertLoggedAs(name: string, group: string, pids: number[]): void {
    const started = host(name).apache?.startedDaemons() ?? assert.fail(`${name} runs no Apache`);
    for (const pid of pids) assert.equal(started.get(pid), group, `${name}: pid ${pid} started as ${group}`);
  }

  /** The pids of `group` on `host` that are in both listings: [] when every one was replaced. */
  function survivors(
    before: Map<string, Map<string, number[]>>,
    now: Map<string, Map<string, number[]>>,
    host: string,
    group = 'django',
  ): number[] {
    const old = before.get(host)?.get(group) ?? [];
    return (now.get(host)?.get(group) ?? []).filter((pid) => old.includes(pid));
  }

  /** The daemons mod_wsgi has started on a host so far, by its own log. */
  function logged(name: string): Map<number, string> {
    return new Map(host(name).apache?.startedDaemons());
  }

  /** No daemon started on the host since `before` was read (its log): nothing there was reloaded. */
  function assertNoneStarted(name: string, before: Map<number, string>): void {
    const since = [...logged(name)].filter(([pid]) => !before.has(pid));
    assert.deepEqual(since, [], `${name} untouched: mod_wsgi started no daemon there`);
  }

  function reports(result: CliResult): HostReloadReport[] {
    return JSON.parse(result.stdout) as HostReloadReport[];
  }

  it('ps --json across 3 hosts: every daemon, with its host, each pid exactly as mod_wsgi started it there', async () => {
    const seen = await daemons(['h1', 'h2', 'h3']);
    for (const name of ['h1', 'h2', 'h3']) {
      const groups = seen.get(name) ?? assert.fail(name);
      assert.equal(groups.get('django')?.length, 2, name);
      assert.equal(groups.get('flask')?.length, 1, name);
      // Every daemon that runs on the host is listed, and each under the group mod_wsgi gave it.
      const started = host(name).apache?.startedDaemons() ?? new Map();
      assert.deepEqual(
        [...started.entries()].sort((a, b) => a[0] - b[0]),
        [...groups.entries()]
          .flatMap(([group, pids]) => pids.map((pid) => [pid, group]))
          .sort((a, b) => (a[0] as number) - (b[0] as number)),
        name,
      );
    }
    const table = await runCli(['ps', ...fleet.args(['h1', 'h2'])]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^h1 \(wsgictl [\d.]+\)\napache2 pid \d+ .*\n {2}django {2}2\/2 running/m);
    assert.match(table.stdout, /\n\nh2 \(wsgictl [\d.]+\)\napache2 pid/);
  });

  it('reload --rolling across 3 hosts, host after host: django replaced everywhere, flask untouched', async () => {
    const before = await daemons(['h1', 'h2', 'h3']);
    const result = await runCli([
      'reload',
      'django',
      '--rolling',
      '--json',
      ...fleet.args(['h1', 'h2', 'h3']),
    ]);
    assert.equal(result.code, 0, result.stderr);
    const runs = reports(result);
    assert.deepEqual(
      runs.map((run) => [run.host, run.state, run.exitCode]),
      [
        ['h1', 'done', 0],
        ['h2', 'done', 0],
        ['h3', 'done', 0],
      ],
    );
    // One host at a time: each starts after the previous one ended.
    for (let i = 1; i < runs.length; i++) {
      const previous = runs[i - 1] as HostReloadReport;
      assert.ok(
        Date.parse(runs[i]?.startedAt ?? '') >= Date.parse(previous.startedAt ?? '') + previous.ms - 5,
        'host after host',
      );
    }
    const now = await daemons(['h1', 'h2', 'h3']);
    for (const name of ['h1', 'h2', 'h3']) {
      const old = before.get(name)?.get('django') ?? [];
      const fresh = now.get(name)?.get('django') ?? [];
      assert.equal(fresh.length, 2, name);
      assert.deepEqual(survivors(before, now, name), [], `${name}: every django daemon replaced`);
      assertLoggedAs(name, 'django', fresh);
      assert.deepEqual(
        now.get(name)?.get('flask'),
        before.get(name)?.get('flask'),
        `${name}: flask untouched`,
      );
      const report = runs.find((run) => run.host === name);
      assert.deepEqual(
        report?.results?.map((each) => [each.group, each.outcome, [...each.oldPids].sort((a, b) => a - b)]),
        [['django', 'replaced', old]],
      );
    }
  });

  it('graceful across 2 hosts, host after host: each Apache tests its configuration, restarts, and every group comes back', async () => {
    const before = await daemons(['h1', 'h2']);
    const result = await runCli(['graceful', '--json', ...fleet.args(['h1', 'h2'])]);
    assert.equal(result.code, 0, result.stderr);
    const runs = JSON.parse(result.stdout) as {
      host: string;
      state: string;
      result?: { outcome: string; groups: { group: string; state: string; newPids: number[] }[] };
    }[];
    assert.deepEqual(
      runs.map((run) => [run.host, run.state, run.result?.outcome]),
      [
        ['h1', 'done', 'done'],
        ['h2', 'done', 'done'],
      ],
    );
    const now = await daemons(['h1', 'h2']);
    for (const run of runs) {
      for (const group of run.result?.groups ?? []) {
        assert.equal(group.state, 'up', `${run.host} ${group.group}`);
        assertLoggedAs(run.host, group.group, group.newPids);
        assert.deepEqual(
          survivors(before, now, run.host, group.group),
          [],
          `${run.host}: ${group.group} restarted`,
        );
      }
      assert.deepEqual(
        (run.result?.groups ?? []).map((group) => group.group).sort(),
        [...(now.get(run.host)?.keys() ?? [])].sort(),
      );
    }
  });

  it('top --once --json across 2 hosts: every group and member of each, tagged with its host', async () => {
    const listed = await daemons(['h1', 'h2']);
    const result = await runCli(['top', '--once', '--json', ...fleet.args(['h1', 'h2'])]);
    assert.equal(result.code, 0, result.stderr);
    const round = JSON.parse(result.stdout) as {
      hosts: {
        host: string;
        snapshot?: { groups: { host: string; group: string; members: { pid: number }[] }[] };
      }[];
    };
    assert.deepEqual(
      round.hosts.map((entry) => entry.host),
      ['h1', 'h2'],
    );
    for (const entry of round.hosts) {
      const groups = entry.snapshot?.groups ?? assert.fail(`${entry.host}: no snapshot`);
      const byGroup = new Map(
        groups.map((group) => [group.group, group.members.map((member) => member.pid).sort((a, b) => a - b)]),
      );
      assert.ok(groups.every((group) => group.host === entry.host));
      assert.deepEqual(byGroup, listed.get(entry.host), `${entry.host}: the members ps lists`);
    }
  });

  it('a host whose Apache is down stops the run there: hosts before reloaded, hosts after untouched', async () => {
    await host('h2').stopApache();
    try {
      const before = await daemons(['h1', 'h3']);
      const h3Log = logged('h3');
      const result = await runCli(['reload', 'django', ...fleet.args(['h1', 'h2', 'h3'])]);
      assert.equal(result.code, 3, result.stderr);
      assert.match(result.stderr, /^wsgictl: h2: .*\n/m);
      assert.match(result.stderr, /stopped at h2: 1 host not started/);
      assert.match(
        result.stdout,
        /hosts: 1 done, 1 failed, 1 not started\n {2}h1 {2}done .*\n {2}h2 {2}failed .*\(exit 3\)\n {2}h3 {2}not started/,
      );
      const now = await daemons(['h1', 'h3']);
      assert.deepEqual(survivors(before, now, 'h1'), [], 'h1 reloaded');
      assert.deepEqual(now.get('h3'), before.get('h3'), 'h3 untouched');
      assertNoneStarted('h3', h3Log);

      // --keep-going: past h2, h3 is reloaded too; the exit code still says h2 failed.
      const going = await runCli([
        'reload',
        'django',
        '--keep-going',
        '--json',
        ...fleet.args(['h1', 'h2', 'h3']),
      ]);
      assert.equal(going.code, 3, going.stderr);
      assert.deepEqual(
        reports(going).map((run) => run.state),
        ['done', 'failed', 'done'],
      );
      const after = await daemons(['h3']);
      assert.deepEqual(survivors(now, after, 'h3'), [], 'h3 reloaded');
    } finally {
      await host('h2').startApache(GROUPS);
    }
  });

  it('an unreachable host and a host without wsgictl are named, with what to do (exit 6)', async () => {
    const result = await runCli([
      'reload',
      'django',
      '--keep-going',
      '--dry-run',
      ...fleet.args(['down', 'bare', 'h1']),
    ]);
    assert.equal(result.code, 6, result.stderr);
    assert.match(result.stderr, /^wsgictl: down: connection refused .*Connection refused$/m);
    assert.match(
      result.stderr,
      /^wsgictl: bare: ".*\/remote\/wsgictl" was not found there: install wsgictl on it .*--remote-wsgictl/m,
    );
    assert.match(
      result.stdout,
      /h1\n {2}django \(Apache pid \d+\): SIGINT, 2 processes\n {2}\s+would signal/,
    );
    const ps = await runCli(['ps', '--json', ...fleet.args(['h1', 'down'])]);
    assert.equal(ps.code, 6);
    assert.ok((JSON.parse(ps.stdout) as { host: string }[]).every((record) => record.host === 'h1'));
  });

  it('--parallel 3 reloads the three hosts at once', async () => {
    const result = await runCli([
      'reload',
      'django',
      '--parallel',
      '3',
      '--json',
      ...fleet.args(['h1', 'h2', 'h3']),
    ]);
    assert.equal(result.code, 0, result.stderr);
    const runs = reports(result);
    assert.deepEqual(
      runs.map((run) => run.state),
      ['done', 'done', 'done'],
    );
    // Overlapping: every host started before any other had finished.
    const firstEnd = Math.min(...runs.map((run) => Date.parse(run.startedAt ?? '') + run.ms));
    for (const run of runs)
      assert.ok(Date.parse(run.startedAt ?? '') < firstEnd, `${run.host} started while others ran`);
  });

  it('Ctrl-C mid-fleet: the running host finishes its current step, no new host starts, the summary is printed (exit 130)', async () => {
    const before = await daemons(['h1', 'h2', 'h3']);
    const h3Log = logged('h3');
    const running = startCli(['reload', 'django', '--rolling', ...fleet.args(['h1', 'h2', 'h3'])]);
    // h1's section is printed as it finishes, h2 starts right then: interrupt while h2 reloads.
    const { code, stdout, stderr } = await interruptWhen(running, /replaced in/);
    assert.equal(code, 130, stderr);
    assert.match(
      stdout,
      /hosts: 1 done, 0 failed, 1 stopped, 1 not started \(stopped by Ctrl-C\)\n {2}h1 {2}done .*\n {2}h2 {2}stopped .*after its current step \(Ctrl-C\)\n {2}h3 {2}not started/,
    );
    // h2 was asked to stop (a `stop` line over ssh): its first process, the step under way, was replaced,
    // its second was never signalled.
    assert.match(
      stdout,
      /h2\n {2}django .*\n {4}\d+ -> \d+\n {4}\d+ not signalled \(left running: Ctrl-C stopped the reload before its turn\)\n {4}stopped by Ctrl-C after [\d.]+s: 1 replaced, 1 not signalled/,
    );
    const now = await daemons(['h2', 'h3']);
    assert.equal(survivors(before, now, 'h2').length, 1, 'h2: one process replaced, one left running');
    assert.equal(now.get('h2')?.get('django')?.length, 2);
    assert.deepEqual(now.get('h3'), before.get('h3'), 'h3 untouched');
    assertNoneStarted('h3', h3Log);
  });

  it('watch --host: a local save reloads the group on the host, over one ssh connection kept open', async (t) => {
    const src = mkdtempSync(join(tmpdir(), 'wsgictl-fleet-src-'));
    t.after(() => rmSync(src, { recursive: true, force: true }));
    const sockets = () => readdirSync(tmpdir()).filter((name) => name.startsWith('wsgictl-ssh-'));
    const socketsBefore = sockets();
    const before = await daemons(['h1', 'h2']);
    const h2Log = logged('h2');
    const watching = await startWatch(t, [
      src,
      '--group',
      'django',
      '--debounce',
      '50ms',
      ...fleet.args(['h1']),
    ]);
    const reloads = async (count: number) => {
      await waitFor(
        `${count} reload(s)`,
        () => watching.reloads().length >= count || watching.child.exitCode !== null,
        20_000,
      );
      assert.equal(watching.reloads().length, count, watching.stderr());
    };
    assert.equal(
      sockets().length,
      socketsBefore.length + 1,
      'a private folder for the connection while watching',
    );
    writeFileSync(join(src, 'views.py'), 'x = 1\n');
    await reloads(1);
    writeFileSync(join(src, 'views.py'), 'x = 2\n');
    await reloads(2);
    for (const reload of watching.reloads()) {
      assert.equal(reload.action, 'group');
      if (reload.action !== 'group') continue;
      assert.deepEqual([reload.host, reload.group, reload.outcome], ['h1', 'django', 'replaced']);
    }
    watching.child.kill('SIGINT');
    assert.equal(await watching.exited, 130, watching.stderr());
    const now = await daemons(['h1', 'h2']);
    const fresh = now.get('h1')?.get('django') ?? [];
    assert.deepEqual(survivors(before, now, 'h1'), [], 'h1 reloaded');
    assertLoggedAs('h1', 'django', fresh);
    assertNoneStarted('h2', h2Log);
    assert.deepEqual(
      now.get('h2'),
      before.get('h2'),
      `h2, not watched, lists the same daemons: ${JSON.stringify([...(before.get('h2') ?? [])])} then ${JSON.stringify([...(now.get('h2') ?? [])])}`,
    );
    assert.deepEqual(sockets(), socketsBefore, 'the connection closed and its folder removed');
  });
});
