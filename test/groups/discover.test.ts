import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { discoverInstances } from '../../src/groups/discover.js';
import type { PsRecord } from '../../src/groups/records.js';
import { createProcessSource } from '../../src/processes/index.js';
import type { Sandbox } from '../../src/sandbox/types.js';
import { apacheSkipReason, requireRoot, useSandbox, waitFor } from '../helpers/apache.js';
import { NOBODY, psJson, runCli } from '../helpers/cli.js';

const skip = apacheSkipReason();

/** pid -> group for the daemons that run now, from mod_wsgi's own log lines. */
function truth(sandbox: Sandbox, records: PsRecord[]): Map<number, string> {
  const live = new Set(records.map((record) => record.pid));
  return new Map([...sandbox.startedDaemons()].filter(([pid]) => live.has(pid)));
}

function daemons(records: PsRecord[]): Map<number, [string | null, string | null]> {
  return new Map(records.filter((r) => r.role === 'daemon').map((r) => [r.pid, [r.group, r.via]]));
}

describe('ps against a real Apache started as /usr/sbin/apache2 (full display-names)', { skip }, () => {
  it('names every daemon’s group, by socket as root and by display-name as nobody', async (t) => {
    const sandbox = await useSandbox(t, {
      argv0: '/usr/sbin/apache2',
      groups: [
        { name: 'django', processes: 2 },
        { name: 'djangoadmin', processes: 1 },
      ],
    });
    const records = await psJson(sandbox.pid);
    const expected = truth(sandbox, records);
    assert.equal(expected.size, 3);
    assert.deepEqual(
      daemons(records),
      new Map([...expected].map(([pid, group]) => [pid, [group, 'socket']])),
    );
    assert.equal(records.filter((r) => r.role === 'parent').length, 1);
    assert.ok(records.some((r) => r.role === 'worker'));
    const parent = records.find((r) => r.role === 'parent');
    assert.equal(parent?.pid, sandbox.pid);
    assert.match(parent?.startedAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    requireRoot('running wsgictl as nobody');
    const asNobody = await psJson(sandbox.pid, NOBODY);
    assert.deepEqual(
      daemons(asNobody),
      new Map([...expected].map(([pid, group]) => [pid, [group, 'display-name']])),
    );
    const evidence = (list: PsRecord[]) => [
      ...new Set(list.filter((r) => r.role === 'daemon').map((r) => r.evidence)),
    ];
    assert.deepEqual([evidence(records), evidence(asNobody)], [['socket'], ['display-name']]);
  });
});

describe('ps against a real Apache started as apache2 (cut display-names)', { skip }, () => {
  it('tells django from djangoadmin by socket, and calls them ambiguous when sockets are closed to it', async (t) => {
    const sandbox = await useSandbox(t, {
      argv0: 'apache2',
      groups: [
        { name: 'django', processes: 2 },
        { name: 'djangoadmin', processes: 1 },
      ],
    });
    const records = await psJson(sandbox.pid);
    const expected = truth(sandbox, records);
    for (const record of records.filter((r) => r.role === 'daemon'))
      assert.match(record.cmd, /^\(wsgi:d -f /);
    assert.deepEqual(
      daemons(records),
      new Map([...expected].map(([pid, group]) => [pid, [group, 'socket']])),
    );

    const filtered = await runCli(['ps', '--json', '--instance', String(sandbox.pid), 'djangoadmin']);
    const only = JSON.parse(filtered.stdout) as PsRecord[];
    assert.deepEqual(
      only.map((r) => r.pid),
      [...expected].filter(([, group]) => group === 'djangoadmin').map(([pid]) => pid),
    );

    requireRoot('running wsgictl as nobody');
    const asNobody = await psJson(sandbox.pid, NOBODY);
    const ambiguous = asNobody.filter((r) => r.role === 'daemon');
    assert.deepEqual(ambiguous.map((r) => r.pid).sort(), [...expected.keys()].sort());
    for (const record of ambiguous) {
      assert.deepEqual(
        [record.group, record.via, record.candidates],
        [null, 'ambiguous', ['django', 'djangoadmin']],
      );
    }
    const human = await runCli(['ps', '--instance', String(sandbox.pid), 'django'], NOBODY);
    assert.equal(human.code, 0);
    assert.match(human.stdout, /django {2}0\/2 identified, 3 ambiguous/);
    assert.match(
      human.stdout,
      /3 processes show "\(wsgi:d" \(pid [\d ]+\): cut display-name of django or djangoadmin/,
    );
  });
});

describe('ps with a custom display-name and a group without one', { skip }, () => {
  it('finds both by socket; without the sockets, the custom one by name and the other not at all', async (t) => {
    const sandbox = await useSandbox(t, {
      argv0: 'apache2',
      groups: [
        { name: 'custom', displayName: 'shop-web' },
        { name: 'plain', displayName: null },
      ],
    });
    const records = await psJson(sandbox.pid);
    const expected = truth(sandbox, records);
    assert.deepEqual(
      daemons(records),
      new Map([...expected].map(([pid, group]) => [pid, [group, 'socket']])),
    );
    const plainPid = [...expected].find(([, group]) => group === 'plain')?.[0];
    assert.equal(records.find((r) => r.pid === plainPid)?.cmd.split(' ')[0], 'apache2');

    requireRoot('running wsgictl as nobody');
    const asNobody = await psJson(sandbox.pid, NOBODY);
    const customPid = [...expected].find(([, group]) => group === 'custom')?.[0] as number;
    assert.deepEqual(daemons(asNobody), new Map([[customPid, ['custom', 'display-name']]]));
    assert.deepEqual(
      [asNobody.find((r) => r.pid === plainPid)?.role, asNobody.find((r) => r.pid === plainPid)?.via],
      ['worker', 'argv0'],
    );
    const human = await runCli(['ps', '--instance', String(sandbox.pid)], NOBODY);
    assert.match(
      human.stdout,
      /plain {2}not identifiable \(1 configured\): without a display-name its daemons show Apache's own name "apache2", like its workers, and only root can read their sockets \(mod_wsgi makes its daemons non-dumpable when it drops privileges\): run wsgictl with sudo/,
    );
  });
});

describe('ps with two instances that use the same group names', { skip }, () => {
  it('keeps each daemon under its own parent', async (t) => {
    const groups = [{ name: 'django', processes: 2 }];
    const [one, two] = await Promise.all([
      useSandbox(t, { argv0: 'apache2', groups }),
      useSandbox(t, { argv0: 'apache2', groups }),
    ]);
    const result = await runCli(['ps', '--json', 'django']);
    assert.equal(result.code, 0, result.stderr);
    const records = JSON.parse(result.stdout) as PsRecord[];
    for (const sandbox of [one, two]) {
      const mine = records.filter((r) => r.instance === sandbox.pid).map((r) => r.pid);
      assert.deepEqual(mine.sort(), [...truth(sandbox, records).keys()].sort());
      assert.equal(mine.length, 2);
    }
    const human = await runCli(['ps', 'django']);
    assert.match(human.stdout, new RegExp(`apache2 pid ${one.pid} `));
    assert.match(human.stdout, new RegExp(`apache2 pid ${two.pid} `));
  });
});

describe('a process outside Apache that calls itself (wsgi:django)', { skip }, () => {
  it('is no daemon of any instance, whatever its comm', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django' }] });
    const dir = mkdtempSync(join(tmpdir(), 'wsgictl-fake-'));
    copyFileSync('/bin/sleep', join(dir, 'apache2'));
    const fakes = [
      spawn('/bin/sleep', ['60'], { argv0: '(wsgi:django)', stdio: 'ignore' }),
      spawn(join(dir, 'apache2'), ['60'], { argv0: '(wsgi:django)', stdio: 'ignore' }),
    ];
    t.after(() => {
      for (const fake of fakes) fake.kill();
      rmSync(dir, { recursive: true, force: true });
    });
    const source = createProcessSource();
    await waitFor('the fakes to exec', async () => {
      const infos = await Promise.all(fakes.map((fake) => source.read(fake.pid as number)));
      return infos.every((info) => info?.argv[0] === '(wsgi:django)');
    });
    const result = await runCli(['ps', '--json']);
    const records = JSON.parse(result.stdout) as PsRecord[];
    for (const fake of fakes)
      assert.equal(
        records.find((r) => r.pid === fake.pid),
        undefined,
      );
    assert.ok(records.some((r) => r.instance === sandbox.pid && r.group === 'django'));
  });
});

describe('discoverInstances', { skip }, () => {
  it('leaves out the caller and its ancestors', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django', processes: 2 }] });
    const source = createProcessSource();
    const [instance] = await discoverInstances(source, { instance: sandbox.pid });
    const daemon = instance?.children.find((member) => member.group === 'django');
    assert.ok(daemon);
    // Seen from inside one of the daemons, neither it nor its parent Apache is up for reloading.
    const fromDaemon = await discoverInstances(source, { instance: sandbox.pid, self: daemon.process.pid });
    assert.deepEqual(fromDaemon, []);
    const other = await discoverInstances(source, { instance: sandbox.pid, self: process.pid });
    assert.equal(other[0]?.groups[0]?.members.length, 2);
  });
});

describe('wsgictl ps exit codes', { skip }, () => {
  it('exits 3 for a group no instance has, naming the groups that exist; 2 for a bad option value', async (t) => {
    const sandbox = await useSandbox(t, {
      argv0: 'apache2',
      groups: [{ name: 'django' }, { name: 'flask' }],
    });
    const missing = await runCli(['ps', '--instance', String(sandbox.pid), 'djang']);
    assert.equal(missing.code, 3);
    assert.equal(
      missing.stderr,
      `wsgictl: no group "djang" under apache2 (pid ${sandbox.pid}): groups are django and flask\n`,
    );
    const pattern = await runCli(['ps', '--instance', String(sandbox.pid), 'd.*']);
    assert.equal(pattern.code, 3);
    const bad = await runCli(['ps', '--instance', 'abc']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--instance.*expected a process id/);
  });
});

describe('ps says when the configuration changed after Apache read it', { skip }, () => {
  it('names the file, even when its mtime was set back (as rsync -t or cp -p do)', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django' }] });
    const quiet = await runCli(['ps', '--instance', String(sandbox.pid)]);
    assert.doesNotMatch(quiet.stdout, /unverified/);
    const earlier = new Date(Date.now() - 3_600_000);
    utimesSync(sandbox.configFile, earlier, earlier);
    const warned = await runCli(['ps', '--instance', String(sandbox.pid)]);
    assert.match(
      warned.stdout,
      new RegExp(`stale: ${sandbox.configFile} changed after Apache last read its configuration`),
    );
  });
});
