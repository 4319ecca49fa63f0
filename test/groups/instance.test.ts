import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ApacheConfig, DaemonGroupConfig } from '../../src/apache/config/model.js';
import { memoryFiles } from '../../src/files/view.js';
import type { InstanceContext } from '../../src/groups/identify.js';
import {
  findStaleness,
  identifyChildren,
  identifyProcess,
  readInstance,
  readPidFile,
} from '../../src/groups/instance.js';
import type { Listener } from '../../src/groups/listeners.js';
import { PARENT, proc, scriptedSource } from '../helpers/processes.js';

const group = (name: string, id: number, displayName: string | null = null) =>
  ({ id, name, displayName }) as DaemonGroupConfig;

const listener = (inode: string, id: number): Listener => ({
  inode,
  path: `/run/apache2/wsgi.${PARENT}.0.${id}.sock`,
  pid: PARENT,
  generation: 0,
  id,
});

describe('identifyChildren', () => {
  it("identifies the parent's children only, by their socket first, else by display-name", async () => {
    const context: InstanceContext = {
      parentPid: PARENT,
      argv0Length: 7,
      groups: [group('django', 1, '%{GROUP}'), group('flask', 2)],
      listeners: new Map([
        ['11', listener('11', 1)],
        ['12', listener('12', 2)],
      ]),
    };
    const sockets: Record<number, string[]> = { 201: ['11'], 202: ['12', '99'], 203: [] };
    const source = {
      ...scriptedSource(() => []),
      socketInodes: async (pid: number) => new Set(sockets[pid] ?? []),
    };
    const processes = [
      proc(201, { argv: ['(wsgi:d'] }), // cut to argv[0]'s length, and holds django's socket
      proc(202), // shows django's name, holds flask's socket: the socket wins
      proc(203, { argv: ['/usr/sbin/apache2'] }), // holds no listener: a worker
      proc(204, { ppid: 999 }), // another parent's
    ];
    const members = await identifyChildren(source, context, processes);
    assert.deepEqual(
      members.map((m) => [m.process.pid, m.role, m.group, m.via]),
      [
        [201, 'daemon', 'django', 'socket'],
        [202, 'daemon', 'flask', 'socket'],
        [203, 'worker', null, 'no-socket'],
      ],
    );
  });
});

describe('identifyProcess', () => {
  it('asks for no socket when the listeners are unknown, and goes by the display-name', async () => {
    const context: InstanceContext = {
      parentPid: PARENT,
      argv0Length: 17,
      groups: [group('django', 1, '%{GROUP}')],
      listeners: null,
    };
    const source = {
      ...scriptedSource(() => []),
      socketInodes: async () => assert.fail('no socket is read'),
    };
    const member = await identifyProcess(source, context, proc(201));
    assert.deepEqual(
      [member.role, member.group, member.via, member.socketIds],
      ['daemon', 'django', 'display-name', null],
    );
  });
});

describe('readPidFile', () => {
  const config = (pidFile: string | null) => ({ pidFile, serverRoot: '/srv' }) as ApacheConfig;

  it("reads the PidFile's pid, httpd's compiled-in logs/httpd.pid under ServerRoot when none is set", () => {
    const files = memoryFiles({ '/run/apache2.pid': '812\n', '/srv/logs/httpd.pid': ' 77 \n' });
    assert.equal(readPidFile(config('/run/apache2.pid'), files), 812);
    assert.equal(readPidFile(config(null), files), 77);
  });

  it('is null for a missing file or one that holds no pid', () => {
    const files = memoryFiles({ '/run/a.pid': '812 813\n', '/run/b.pid': '-1', '/run/c.pid': '' });
    for (const path of ['/run/none.pid', '/run/a.pid', '/run/b.pid', '/run/c.pid'])
      assert.equal(readPidFile(config(path), files), null, path);
  });
});

describe('findStaleness', () => {
  const read = { readAt: new Date(2000), readFrom: 'its pidfile' };
  const files = {
    ...memoryFiles({}),
    stat: (path: string) => {
      const changedMs = { '/srv/httpd.conf': 1000, '/srv/sites': 3000, '/srv/sites/a.conf': 4000 }[path];
      if (changedMs === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return { isDirectory: false, changedMs };
    },
  };

  it('names the first file or folder consulted that changed after Apache read it', () => {
    assert.deepEqual(
      findStaleness(['/srv/httpd.conf', '/srv/gone', '/srv/sites', '/srv/sites/a.conf'], files, read),
      {
        path: '/srv/sites',
        changedAt: new Date(3000),
        readAt: read.readAt,
        readFrom: 'its pidfile',
      },
    );
  });

  it('is null when nothing changed since, or what changed cannot be read', () => {
    assert.equal(findStaleness(['/srv/httpd.conf', '/srv/gone'], files, read), null);
    assert.equal(findStaleness([], files, read), null);
  });
});

describe('readInstance (its configuration in a folder standing for the mount namespace of its Apache)', () => {
  const root = mkdtempSync(join(tmpdir(), 'wsgictl-instance-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'srv/run'), { recursive: true });
  const conf = join(root, 'srv/httpd.conf');
  const pidFile = join(root, 'srv/run/httpd.pid');
  const changedMs = (path: string) => Math.max(statSync(path).mtimeMs, statSync(path).ctimeMs);
  /** Writes `path` until the file system stamps it a whole millisecond after `earlier` (no sleep). */
  const writeAfter = (path: string, text: string, earlier: string) => {
    do writeFileSync(path, text);
    while (Math.floor(changedMs(path)) <= Math.ceil(changedMs(earlier)));
  };
  const parent = proc(PARENT, {
    ppid: 1,
    uid: 0,
    user: 'root',
    argv: ['/usr/sbin/apache2', '-d', '/srv', '-f', '/srv/httpd.conf'],
  });
  const children = [proc(201), proc(202), proc(203, { argv: ['/usr/sbin/apache2', '-d', '/srv'] })];
  const source = { ...scriptedSource(() => [parent, ...children]), fileRoot: async () => root };
  const CONF = [
    'ServerRoot /srv',
    'PidFile run/httpd.pid',
    'WSGIDaemonProcess django processes=2 display-name=%{GROUP}',
    'WSGIDaemonProcess flask',
  ].join('\n');

  it("reads the groups as configured, identifies every child, and dates the read by Apache's pidfile", async () => {
    writeFileSync(conf, CONF);
    writeAfter(pidFile, `${PARENT}\n`, conf);
    const instance = await readInstance(source, parent, null, children);
    assert.equal(instance.fileRoot, root);
    assert.equal(instance.pidFilePid, PARENT);
    assert.deepEqual(
      instance.groups.map((g) => [g.name, g.config?.processes, g.members.map((m) => m.process.pid)]),
      [
        ['django', 2, [201, 202]],
        ['flask', 1, []],
      ],
    );
    assert.deepEqual(
      instance.children.map((m) => [m.process.pid, m.role, m.group]),
      [
        [201, 'daemon', 'django'],
        [202, 'daemon', 'django'],
        [203, 'worker', null],
      ],
    );
    assert.equal(instance.configReadAt.getTime(), new Date(changedMs(pidFile)).getTime());
    assert.deepEqual(instance.doubts, []);
    assert.ok(instance.groups.every((g) => g.verified));
    assert.deepEqual(instance.context, {
      parentPid: PARENT,
      argv0Length: 17,
      groups: instance.config.groups,
      listeners: null,
    });
  });

  it('doubts every group when the configuration changed after Apache read it', async () => {
    writeFileSync(pidFile, `${PARENT}\n`);
    writeAfter(conf, CONF, pidFile);
    const instance = await readInstance(source, parent, null, children);
    assert.deepEqual(instance.doubts, [
      {
        kind: 'stale',
        reason: '/srv/httpd.conf changed after Apache last read its configuration (its pidfile)',
      },
    ]);
    assert.ok(instance.groups.every((g) => !g.verified));
  });

  it("a pidfile naming another process does not date the read: the parent's start does", async () => {
    writeFileSync(conf, CONF);
    writeAfter(pidFile, '4242\n', conf);
    const instance = await readInstance(source, { ...parent, startedAt: new Date(5000) }, null, children);
    assert.equal(instance.pidFilePid, 4242);
    assert.equal(instance.configReadAt.getTime(), 5000);
  });
});
