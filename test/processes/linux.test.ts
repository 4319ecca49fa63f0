import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { selfAndAncestors } from '../../src/processes/ancestors.js';
import {
  createLinuxSource,
  parseCmdline,
  parseNetUnix,
  parseStat,
  parseStatus,
} from '../../src/processes/linux.js';
import { waitFor } from '../helpers/apache.js';

const STAT =
  '2186 (apache2) S 2184 2177 1016 0 -1 4194624 1077 0 0 0 2 0 0 0 20 0 5 0 33503 119648256 2823 18446744073709551615';

describe('parseStat', () => {
  it('reads ppid, comm, CPU ticks (fields 14 + 15), the thread count (field 20) and the start time (field 22)', () => {
    assert.deepEqual(parseStat(STAT), {
      pid: 2186,
      state: 'S',
      ppid: 2184,
      comm: 'apache2',
      startTicks: '33503',
      threads: 5,
      cpuTicks: 2,
    });
    assert.equal(parseStat(STAT.replace(' 2 0 0 0 20', ' 250 31 0 0 20'))?.cpuTicks, 281);
  });

  it('keeps a comm that holds spaces and parentheses whole', () => {
    const stat = parseStat(STAT.replace('(apache2)', '(a) b (c))'));
    assert.equal(stat?.comm, 'a) b (c)');
    assert.equal(stat?.startTicks, '33503');
  });

  it('rejects a truncated line instead of inventing fields', () => {
    assert.equal(parseStat('12 (x) S 1 2'), null);
  });
});

describe('parseCmdline', () => {
  it('splits on NUL and drops the padding after the last argument', () => {
    assert.deepEqual(parseCmdline('(wsgi:d\0-f\0/tmp/x.conf\0-DFOREGROUND\0\0\0'), [
      '(wsgi:d',
      '-f',
      '/tmp/x.conf',
      '-DFOREGROUND',
    ]);
  });
});

describe('parseStatus', () => {
  it('takes the effective uid and VmRSS in bytes', () => {
    assert.deepEqual(parseStatus('Name:\tapache2\nUid:\t0\t33\t33\t33\nVmRSS:\t   11448 kB\n'), {
      uid: 33,
      rssBytes: 11448 * 1024,
      nsPid: null,
    });
  });

  it('takes the innermost NSpid: the pid a process in a container sees as its own', () => {
    assert.equal(parseStatus('Uid:\t0\t0\t0\t0\nNSpid:\t9398\t1\n').nsPid, 1);
    assert.equal(parseStatus('NSpid:\t9398\nVmRSS:\t1 kB\n').nsPid, 9398);
  });
});

describe('parseNetUnix', () => {
  it('maps inode to path and skips unbound sockets', () => {
    const text = [
      'Num       RefCount Protocol Flags    Type St Inode Path',
      '0000000091cc8ac5: 00000002 00000000 00010000 0001 01  4196 /tmp/exp/run/wsgi.2184.0.1.sock',
      '00000000b24ed6a4: 00000003 00000000 00000000 0001 03  5000',
    ].join('\n');
    assert.deepEqual([...parseNetUnix(text)], [['4196', '/tmp/exp/run/wsgi.2184.0.1.sock']]);
  });
});

const notLinux = process.platform !== 'linux' && 'reads the real /proc, which only Linux has';

describe('createLinuxSource on the real /proc', { skip: notLinux }, () => {
  it('reads this process exactly: ppid, argv, uid, start time', async () => {
    const source = createLinuxSource();
    const self = await source.read(process.pid);
    assert.ok(self);
    assert.equal(self.ppid, process.ppid);
    assert.equal(self.uid, process.getuid?.());
    assert.deepEqual(self.argv.slice(1), [...process.execArgv, ...process.argv.slice(1)]);
    assert.ok(Math.abs(self.startedAt.getTime() - (Date.now() - process.uptime() * 1000)) < 5000);
  });

  it('counts the threads a process runs, as the kernel does', async () => {
    const self = await createLinuxSource().read(process.pid);
    const task = readdirSync(`/proc/${process.pid}/task`).length;
    // Node's own threads (libuv's pool, V8's workers) can start or end between the two reads.
    assert.ok(self?.threads !== undefined && self.threads > 1, String(self?.threads));
    assert.ok(Math.abs(self.threads - task) <= 2, `${self.threads} against ${task} in /proc/PID/task`);
  });

  it('answers null for a pid that does not exist', async () => {
    assert.equal(await createLinuxSource().read(2 ** 22 + 17), null);
  });

  it('reads in full only what the detail filter asks for, and every stub', async () => {
    const table = await createLinuxSource().list({ detail: (stub) => stub.pid === process.pid });
    assert.deepEqual(
      table.processes.map((info) => info.pid),
      [process.pid],
    );
    assert.ok(table.stubs.has(process.ppid));
    assert.equal(table.stubs.get(process.pid)?.comm, 'node');
    assert.ok(table.stubs.size > 2);
  });

  it('skips a process that vanished or cannot be read mid-scan', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wsgictl-proc-'));
    try {
      writeFileSync(join(root, 'stat'), 'cpu 1 2 3\nbtime 1000\n');
      mkdirSync(join(root, '10'));
      writeFileSync(join(root, '10', 'comm'), 'apache2\n');
      writeFileSync(join(root, '10', 'stat'), STAT.replace('2186', '10'));
      writeFileSync(join(root, '10', 'cmdline'), 'apache2\0-k\0start\0');
      writeFileSync(join(root, '10', 'status'), 'Uid:\t0\t0\t0\t0\n');
      mkdirSync(join(root, '11')); // gone: no stat
      mkdirSync(join(root, '12'));
      writeFileSync(join(root, '12', 'comm'), 'apache2\n');
      writeFileSync(join(root, '12', 'stat'), STAT.replace('2186', '12')); // cmdline vanished
      mkdirSync(join(root, 'self'));
      const table = await createLinuxSource(root).list();
      assert.deepEqual(
        table.processes.map((info) => [info.pid, info.argv]),
        [[10, ['apache2', '-k', 'start']]],
      );
      assert.equal(table.processes[0]?.startedAt.getTime(), 1000 * 1000 + 335030);
      assert.deepEqual([...table.stubs.keys()].sort(), [10, 12]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('namespaces on the real /proc', { skip: notLinux }, () => {
  it('reads its own mount namespace as "", its executable, and its network namespace’s unix sockets', async () => {
    const source = createLinuxSource();
    assert.equal(await source.fileRoot(process.pid), '');
    assert.equal(await source.executable(process.pid), process.execPath);
    assert.ok((await source.unixSocketPaths(process.pid)) instanceof Map);
  });

  it('reaches a process in another mount namespace through /proc/PID/root', async (t) => {
    if (process.getuid?.() !== 0) throw new Error('this test needs root for unshare: run the tests as root');
    const child = spawn('unshare', ['--mount', '--', 'sleep', '30'], { stdio: 'ignore' });
    t.after(() => child.kill());
    const source = createLinuxSource();
    const pid = child.pid as number;
    const root = await waitFor('unshare to exec sleep', async () => {
      const info = await source.read(pid);
      return info?.comm === 'sleep' && (await source.fileRoot(pid));
    });
    assert.equal(root, `/proc/${pid}/root`);
    assert.match((await source.executable(pid)) ?? '', new RegExp(`^/proc/${pid}/root/.*sleep$`));
  });
});

describe('ancestors', { skip: notLinux }, () => {
  it('holds this process, its parent and init', async () => {
    const chain = await createLinuxSource().ancestors(process.pid);
    assert.ok(chain.has(process.pid) && chain.has(process.ppid) && chain.has(1));
  });
});

describe('selfAndAncestors', () => {
  it('walks up to pid 1 and stops on a loop', () => {
    const stubs = new Map([
      [50, { ppid: 40 }],
      [40, { ppid: 1 }],
      [1, { ppid: 0 }],
      [7, { ppid: 8 }],
      [8, { ppid: 7 }],
    ]);
    assert.deepEqual([...selfAndAncestors(stubs, 50)], [50, 40, 1]);
    assert.deepEqual([...selfAndAncestors(stubs, 7)], [7, 8]);
  });
});
