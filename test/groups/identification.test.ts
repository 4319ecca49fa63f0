import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { PsRecord } from '../../src/groups/records.js';
import type { Sandbox } from '../../src/sandbox/types.js';
import { apacheSkipReason, requireRoot, useSandbox, waitFor } from '../helpers/apache.js';
import { NOBODY, psJson, runCli } from '../helpers/cli.js';

const skip = apacheSkipReason();

/** pid -> group of the daemons that run now, from mod_wsgi's own "Starting process" log lines. */
function truth(sandbox: Sandbox, records: PsRecord[]): Map<number, string> {
  const live = new Set(records.map((record) => record.pid));
  return new Map([...sandbox.startedDaemons()].filter(([pid]) => live.has(pid)));
}

function labels(records: PsRecord[]): Map<number, string | null> {
  return new Map(records.filter((r) => r.role === 'daemon').map((r) => [r.pid, r.group]));
}

function pidsOf(records: PsRecord[], group: string): number[] {
  return records
    .filter((r) => r.role === 'daemon' && r.group === group)
    .map((r) => r.pid)
    .sort((a, b) => a - b);
}

/** A graceful restart of the sandbox's own Apache (SIGUSR1 to the parent this test started). */
async function gracefulRestart(sandbox: Sandbox, daemons: number): Promise<void> {
  const before = new Set(sandbox.startedDaemons().keys());
  process.kill(sandbox.pid, 'SIGUSR1');
  await waitFor('the daemons of the new generation', () => {
    const started = [...sandbox.startedDaemons().keys()].filter((pid) => !before.has(pid));
    return started.length >= daemons;
  });
}

describe('groups inside sections Apache skips', { skip }, () => {
  for (const argv0 of ['/usr/sbin/apache2', 'apache2']) {
    it(`labels every daemon with its real group and reloads exactly django (argv[0] ${argv0})`, async (t) => {
      requireRoot('reading the daemons’ listener sockets');
      const sandbox = await useSandbox(t, {
        argv0,
        groups: [
          { name: 'ghost', section: 'IfDefine NOPE' },
          { name: 'django', processes: 2 },
          { name: 'phantom', section: 'IfModule mod_not_loaded.c' },
          { name: 'flask' },
          { name: 'spectre', section: 'IfModule !wsgi_module' },
        ],
      });
      const before = await psJson(sandbox.pid);
      const expected = truth(sandbox, before);
      assert.equal(expected.size, 3);
      assert.deepEqual(labels(before), expected);
      for (const record of before.filter((r) => r.role === 'daemon')) assert.equal(record.verified, true);

      const django = pidsOf(before, 'django');
      const flask = pidsOf(before, 'flask');
      const reload = await runCli(['reload', 'django', '--instance', String(sandbox.pid)]);
      assert.equal(reload.code, 0, reload.stderr);
      const after = await psJson(sandbox.pid);
      assert.deepEqual(pidsOf(after, 'flask'), flask, 'flask keeps its pids');
      const fresh = pidsOf(after, 'django');
      assert.equal(fresh.length, 2);
      for (const pid of fresh) {
        assert.ok(!django.includes(pid));
        assert.equal(sandbox.startedDaemons().get(pid), 'django');
      }

      const ghost = await runCli(['reload', 'ghost', '--dry-run', '--instance', String(sandbox.pid)]);
      assert.equal(ghost.code, 3);
      assert.match(
        ghost.stderr,
        /group "ghost" is defined at .*httpd\.conf:\d+ inside <IfDefine NOPE>, which Apache skips/,
      );
    });
  }
});

describe('a configuration changed after Apache read it', { skip }, () => {
  it('is unverified in ps, refused by reload and --dry-run (exit 5), until Apache reads it again', async (t) => {
    requireRoot('reading the daemons’ listener sockets');
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django', processes: 2 }] });
    const instance = String(sandbox.pid);
    appendFileSync(sandbox.configFile, '# edited after start\n');
    const records = await psJson(sandbox.pid);
    const daemons = records.filter((r) => r.role === 'daemon');
    assert.equal(daemons.length, 2);
    for (const record of daemons) {
      assert.equal(record.verified, false);
      assert.match(record.doubts[0] ?? '', /httpd\.conf changed after Apache last read its configuration/);
    }
    const human = await runCli(['ps', '--instance', instance]);
    assert.match(human.stdout, /groups in the configuration as it reads now: django; which process belongs/);
    for (const record of daemons) assert.equal(record.group, null, 'unverified: no label');

    for (const extra of [[], ['--dry-run']]) {
      const refused = await runCli(['reload', 'django', '--instance', instance, ...extra]);
      assert.equal(refused.code, 5, refused.stderr);
      assert.match(
        refused.stderr,
        /^wsgictl: refused to reload "django" under apache2 \(pid \d+\), nothing was sent: .*httpd\.conf changed after Apache last read its configuration .*wsgictl graceful.*--trust-config.*\n$/,
      );
    }
    const daemonPids = (all: PsRecord[]) =>
      all
        .filter((r) => r.role === 'daemon')
        .map((r) => r.pid)
        .sort();
    assert.deepEqual(daemonPids(await psJson(sandbox.pid)), daemonPids(records));

    const trusted = await runCli(['reload', 'django', '--instance', instance, '--trust-config']);
    assert.equal(trusted.code, 0, trusted.stderr);

    // A graceful restart reads the file again: the doubt goes, though the parent is as old as before.
    await gracefulRestart(sandbox, 2);
    const fresh = await waitFor('both daemons of the new generation', async () => {
      const now = (await psJson(sandbox.pid)).filter((r) => r.role === 'daemon');
      return now.length === 2 && now;
    });
    for (const record of fresh) assert.deepEqual([record.verified, record.doubts], [true, []]);
    const again = await runCli(['reload', 'django', '--instance', instance, '--dry-run']);
    assert.equal(again.code, 0, again.stderr);
  });

  it('a renamed include that changes the group order: refused even with --trust-config, pids unchanged', async (t) => {
    requireRoot('reading the daemons’ listener sockets');
    const sandbox = await useSandbox(t, {
      argv0: '/usr/sbin/apache2',
      groupFiles: true,
      groups: [{ name: 'alpha' }, { name: 'beta' }],
    });
    const before = await psJson(sandbox.pid);
    assert.deepEqual(labels(before), truth(sandbox, before));
    const confd = join(sandbox.configDir, 'conf.d');
    // Same contents, same mtime: only the order Apache would read them in changes.
    renameSync(join(confd, '10-alpha.conf'), join(confd, '30-alpha.conf'));

    const after = await psJson(sandbox.pid);
    const doubts = after.find((r) => r.role === 'daemon')?.doubts ?? [];
    assert.ok(
      doubts.some((doubt) => /conf\.d changed after Apache last read/.test(doubt)),
      doubts.join('; '),
    );
    assert.ok(
      doubts.some((doubt) =>
        /holds the listener socket of "(alpha|beta)" but shows "\(wsgi:(beta|alpha)\)"/.test(doubt),
      ),
      doubts.join('; '),
    );
    for (const args of [[], ['--dry-run'], ['--trust-config']]) {
      const result = await runCli(['reload', 'beta', '--instance', String(sandbox.pid), ...args]);
      assert.equal(result.code, 5, result.stderr);
      assert.match(result.stderr, /nothing was sent/);
    }
    assert.deepEqual(
      new Set((await psJson(sandbox.pid)).filter((r) => r.role === 'daemon').map((r) => r.pid)),
      new Set(before.filter((r) => r.role === 'daemon').map((r) => r.pid)),
    );
  });
});

describe('a WSGIDaemonProcess inserted before the others after start', { skip }, () => {
  it('ps shows each daemon’s evidence (socket id -> path, display-name as seen) and no group label', async (t) => {
    requireRoot('reading the daemons’ listener sockets');
    const sandbox = await useSandbox(t, {
      argv0: 'apache2',
      groups: [{ name: 'dj7', processes: 3 }, { name: 'other' }],
    });
    const truthBefore = truth(sandbox, await psJson(sandbox.pid));
    const text = readFileSync(sandbox.configFile, 'utf8');
    writeFileSync(
      sandbox.configFile,
      text.replace(
        /^WSGIDaemonProcess/m,
        'WSGIDaemonProcess newgrp processes=1 display-name=%{GROUP}\nWSGIDaemonProcess',
      ),
    );
    const records = (await psJson(sandbox.pid)).filter((r) => r.role === 'daemon');
    assert.equal(records.length, 4);
    for (const record of records) {
      assert.equal(record.verified, false);
      assert.deepEqual([record.group, record.candidates], [null, []], `pid ${record.pid} unlabelled`);
      const id = truthBefore.get(record.pid) === 'dj7' ? 1 : 2;
      assert.equal(record.socketId, id, `pid ${record.pid}`);
      assert.match(record.socketPath ?? '', new RegExp(`wsgi\\.${sandbox.pid}\\.0\\.${id}\\.sock$`));
      assert.equal(record.displayName, id === 1 ? '(wsgi:d' : '(wsgi:o');
    }
    const human = await runCli(['ps', '--instance', String(sandbox.pid)]);
    assert.equal(human.code, 0, human.stderr);
    assert.doesNotMatch(human.stdout, /newgrp {2}\d/, 'no count under the new group');
    assert.doesNotMatch(human.stdout, /dj7 {2}\d/);
    assert.match(human.stdout, /groups in the configuration as it reads now: newgrp, dj7 and other/);
    for (const record of records) {
      const row = new RegExp(
        `\\n {4}${record.pid} .*id ${record.socketId} -> \\S+\\.${record.socketId}\\.sock +\\(wsgi:[do]\\n`,
      );
      assert.match(human.stdout, row);
    }
    const refused = await runCli(['reload', 'dj7', '--instance', String(sandbox.pid)]);
    assert.equal(refused.code, 5, refused.stderr);
  });
});

describe('children whose Apache parent died', { skip }, () => {
  it('are listed as orphaned (daemons and workers) and never signalled', async (t) => {
    requireRoot('reading the orphans’ listener sockets');
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'orphaned7', processes: 2 }] });
    // A group name no other Apache on the machine has: the reload below names no instance.
    const before = await psJson(sandbox.pid);
    const daemons = pidsOf(before, 'orphaned7');
    const workers = before.filter((r) => r.role === 'worker').map((r) => r.pid);
    assert.equal(daemons.length, 2);
    assert.ok(workers.length > 0);
    t.after(async () => {
      // The children this test's Apache started outlive it: end them by pid, including workers it started
      // after the first look (wsgictl names them orphans of this very parent).
      // The sandbox's own cleanup may already have removed its pidfile: its config path is as telling.
      const all = JSON.parse((await runCli(['ps', '--json'])).stdout) as PsRecord[];
      const late = all
        .filter(
          (r) =>
            (r.role === 'orphan' && r.instance === sandbox.pid) ||
            (r.ppid === 1 && r.cmd.includes(sandbox.configFile)),
        )
        .map((r) => r.pid);
      for (const pid of new Set([...daemons, ...workers, ...late])) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
      }
    });
    process.kill(sandbox.pid, 'SIGKILL');
    // Daemons stay; a worker may notice its parent is gone and exit, but while it runs it is an orphan, or,
    // running as the Apache user rather than root, an untrusted parent: only its pidfile could say more, and
    // wsgictl reads no file for a process another user runs.
    const orphaned = (all: PsRecord[]) =>
      daemons.every((pid) => all.find((r) => r.pid === pid)?.role === 'orphan') &&
      workers.every((pid) =>
        [undefined, 'orphan', 'untrusted'].includes(all.find((r) => r.pid === pid)?.role),
      );
    const records = await waitFor('the children to be orphaned', async () => {
      const all = JSON.parse((await runCli(['ps', '--json'])).stdout) as PsRecord[];
      return orphaned(all) && all;
    });
    for (const record of records.filter(
      (r) => r.role === 'orphan' && [...daemons, ...workers].includes(r.pid),
    )) {
      assert.deepEqual([record.ppid, record.instance], [1, sandbox.pid]);
    }
    assert.ok(
      !records.some((r) => r.role === 'parent' && workers.includes(r.pid)),
      'a worker is no instance',
    );
    const human = await runCli(['ps']);
    assert.match(human.stdout, /orphaned Apache children: their Apache parent is gone/);
    const reload = await runCli(['reload', 'orphaned7']);
    assert.equal(reload.code, 3, reload.stderr);
    const still = JSON.parse((await runCli(['ps', '--json'])).stdout) as PsRecord[];
    assert.ok(orphaned(still), 'the same pids, untouched');
  });
});

describe('Apache in its own network and mount namespaces', { skip }, () => {
  it('is identified by socket from its own namespace’s tables, and reloaded', async (t) => {
    requireRoot('unshare and reading the daemons’ listener sockets');
    const sandbox = await useSandbox(t, {
      argv0: 'apache2',
      namespaces: true,
      groups: [{ name: 'django', processes: 2 }, { name: 'djangoadmin' }],
    });
    const records = await psJson(sandbox.pid);
    const daemons = records.filter((r) => r.role === 'daemon');
    assert.deepEqual(labels(records), truth(sandbox, records));
    assert.equal(daemons.length, 3);
    for (const record of daemons) assert.deepEqual([record.via, record.verified], ['socket', true]);

    const django = pidsOf(records, 'django');
    const reload = await runCli(['reload', 'django', '--instance', String(sandbox.pid)]);
    assert.equal(reload.code, 0, reload.stderr);
    const fresh = pidsOf(await psJson(sandbox.pid), 'django');
    assert.equal(fresh.length, 2);
    for (const pid of fresh) assert.ok(!django.includes(pid));
  });
});

describe('unprivileged users: the true advice and the same checks in a dry run', { skip }, () => {
  it('exit 4 (not 3) for a group without display-name, as nobody, dry run or not', async (t) => {
    requireRoot('running wsgictl as nobody');
    const sandbox = await useSandbox(t, {
      argv0: 'apache2',
      groups: [{ name: 'plain', displayName: null }, { name: 'django' }, { name: 'djangoadmin' }],
    });
    const instance = String(sandbox.pid);
    for (const extra of [[], ['--dry-run']]) {
      const plain = await runCli(['reload', 'plain', '--instance', instance, ...extra], NOBODY);
      assert.equal(plain.code, 4, plain.stderr);
      assert.match(
        plain.stderr,
        /^wsgictl: cannot tell which children of apache2 \(pid \d+\) are "plain": it has no display-name, so its daemons look like workers; only root can read their sockets/,
      );
    }
  });

  it('as the daemons’ own user: says that only root can read their sockets, and what else works', async (t) => {
    requireRoot('running wsgictl as www-data');
    const sandbox = await useSandbox(t, {
      argv0: 'apache2',
      groups: [{ name: 'django' }, { name: 'djangoadmin' }],
    });
    const records = await psJson(sandbox.pid);
    const owner = records.find((r) => r.role === 'daemon');
    assert.ok(owner && owner.uid !== 0, 'the daemons run as an unprivileged user');
    const result = await runCli(['reload', 'django', '--instance', String(sandbox.pid)], {
      uid: owner.uid,
      gid: owner.uid,
    });
    assert.equal(result.code, 4, result.stderr);
    assert.match(
      result.stderr,
      /only root can read their sockets \(mod_wsgi makes its daemons non-dumpable when it drops privileges\): run wsgictl with sudo, or reload with --touch SCRIPT, or give each group a display-name that stays distinct when cut to "apache2"'s length\n$/,
    );
    assert.doesNotMatch(result.stderr, /or www-data/);
  });

  it('with CoreDumpDirectory set: the daemons’ own user can read their fds, and is told why that is not enough', async (t) => {
    requireRoot('running wsgictl as www-data');
    const cores = mkdtempSync(join(tmpdir(), 'wsgictl-cores-'));
    t.after(() => rmSync(cores, { recursive: true, force: true }));
    const sandbox = await useSandbox(t, {
      argv0: 'apache2',
      groups: [{ name: 'django' }, { name: 'djangoadmin' }],
      extraConfig: `CoreDumpDirectory ${cores}`,
    });
    const records = await psJson(sandbox.pid);
    const owner = records.find((r) => r.role === 'daemon');
    assert.ok(owner && owner.uid !== 0, 'the daemons run as an unprivileged user');
    const asOwner = { uid: owner.uid, gid: owner.uid };
    // What CoreDumpDirectory changes on 4.x and 5.x: the daemon's /proc/PID/fd belongs to its own user, who
    // can list it. 6.0.5 compiles that step out (its wsgi_daemon.c lacks sys/prctl.h): still root's.
    const remade = !sandbox.wsgiVersion?.startsWith('6.');
    const fds = spawnSync('ls', [`/proc/${owner.pid}/fd`], { ...asOwner, encoding: 'utf8' });
    assert.equal(fds.status === 0, remade, `ls /proc/${owner.pid}/fd as ${owner.user}: ${fds.stderr}`);
    const result = await runCli(['reload', 'django', '--instance', String(sandbox.pid)], asOwner);
    assert.equal(result.code, 4, result.stderr);
    assert.match(
      result.stderr,
      remade
        ? /only root can read their sockets \(CoreDumpDirectory is set, so the daemons' own user can read their fds, but not the Apache parent's listeners that prove whose socket is whose\): run wsgictl with sudo/
        : /only root can read their sockets \(mod_wsgi makes its daemons non-dumpable when it drops privileges, and this mod_wsgi leaves them so although CoreDumpDirectory is set\): run wsgictl with sudo/,
    );
  });

  it('a dry run that may not signal fails like the real run (exit 4), naming the owner', async (t) => {
    requireRoot('running wsgictl as nobody');
    const sandbox = await useSandbox(t, { argv0: '/usr/sbin/apache2', groups: [{ name: 'django' }] });
    const dry = await runCli(['reload', 'django', '--dry-run', '--instance', String(sandbox.pid)], NOBODY);
    assert.equal(dry.code, 4, dry.stderr);
    assert.match(dry.stderr, /not allowed to signal django \(processes run as www-data; nothing was sent\)/);
    assert.doesNotMatch(dry.stdout, /would signal/);
  });
});

/** The pid a process sees as its own (innermost NSpid): what mod_wsgi writes in its log inside a pid namespace. */
function nsPidOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^NSpid:(.*)$/m)?.[1] ?? '';
  return Number(line.trim().split(/\s+/).pop());
}

describe('two containers whose Apaches share a pid number and their socket paths', { skip }, () => {
  it('keeps each daemon under its own parent by the parent’s own sockets, and reloads only the one asked', async (t) => {
    requireRoot('unshare and reading the daemons’ listener sockets');
    const socketDir = mkdtempSync(join(tmpdir(), 'wsgictl-shared-run-'));
    t.after(() => rmSync(socketDir, { recursive: true, force: true }));
    const container = { pid: true, socketDir };
    const one = await useSandbox(t, {
      argv0: 'apache2',
      namespaces: container,
      groups: [{ name: 'alpha' }, { name: 'beta' }],
    });
    const two = await useSandbox(t, {
      argv0: 'apache2',
      namespaces: container,
      groups: [{ name: 'beta' }, { name: 'alpha' }],
    });
    assert.deepEqual([nsPidOf(one.pid), nsPidOf(two.pid)], [1, 1]);
    // Both name their listeners wsgi.1.0.<id>.sock in the same folder, and id 1 is alpha in one, beta in two.
    const listed = readFileSync('/proc/net/unix', 'utf8');
    assert.equal(listed.split(`${socketDir}/wsgi.1.0.1.sock`).length - 1 >= 2, true, 'two sockets, one path');

    for (const sandbox of [one, two]) {
      const records = (await psJson(sandbox.pid)).filter((r) => r.role === 'daemon');
      assert.equal(records.length, 2);
      for (const record of records) {
        assert.deepEqual([record.via, record.verified], ['socket', true]);
        assert.equal(record.group, sandbox.startedDaemons().get(nsPidOf(record.pid)), `pid ${record.pid}`);
      }
    }
    const before = await psJson(two.pid);
    const alphaOne = pidsOf(await psJson(one.pid), 'alpha');
    const reload = await runCli(['reload', 'alpha', '--instance', String(one.pid)]);
    assert.equal(reload.code, 0, reload.stderr);
    const fresh = pidsOf(await psJson(one.pid), 'alpha');
    assert.equal(fresh.length, 1);
    assert.notDeepEqual(fresh, alphaOne);
    assert.deepEqual(
      pidsOf(await psJson(two.pid), 'alpha'),
      pidsOf(before, 'alpha'),
      'the other container untouched',
    );
  });
});
