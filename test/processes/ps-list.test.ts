import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ProcessDescriptor } from 'ps-list';
import type { DaemonGroupConfig } from '../../src/apache/config.js';
import { discoverInstances } from '../../src/apache/discover.js';
import { identifyChild } from '../../src/apache/identify.js';
import { PLAIN } from '../../src/cli/color.js';
import { renderPs } from '../../src/cli/render-ps.js';
import { createPsListSource, shortName } from '../../src/processes/ps-list.js';
import { toPsRecords } from '../../src/ps/records.js';
import { fastlistDescriptors, fixture } from '../windows/fakes.js';

const MACOS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/macos');

/** ps-list descriptors recorded as JSON (dates as ISO strings), see test/fixtures/macos/SOURCES.md. */
function macDescriptors(name: string): ProcessDescriptor[] {
  const raw = JSON.parse(readFileSync(resolve(MACOS, name), 'utf8')) as Array<
    ProcessDescriptor & { startTime?: string }
  >;
  return raw.map((entry) => ({
    ...entry,
    startTime: entry.startTime ? new Date(entry.startTime) : undefined,
  }));
}

function group(id: number, name: string): DaemonGroupConfig {
  return {
    id,
    name,
    processes: 1,
    threads: 15,
    user: null,
    group: null,
    displayName: '%{GROUP}',
    file: 'x',
    line: id,
  };
}

const NOT_US = { self: 999_999 };

describe('ps-list source on macOS', () => {
  it('reads argv from cmd (where the display-name shows) and comm from the executable, never a path', async () => {
    const source = createPsListSource(async () => macDescriptors('ps-list-homebrew.json'), 8 * 1024 ** 3);
    const { processes } = await source.list();
    const daemon = processes.find((info) => info.pid === 640);
    assert.deepEqual(daemon?.argv, ['(wsgi:django)', '-D', 'FOREGROUND']);
    assert.equal(daemon?.comm, 'httpd');
    assert.equal(daemon?.uid, 501);
    assert.equal(daemon?.startedAt.toISOString(), '2026-11-21T09:00:01.000Z');
    assert.equal(daemon?.rssBytes, Math.round(0.008 * 8 * 1024 ** 3));
    assert.equal(shortName('C:\\Apache24\\bin\\httpd.exe'), 'httpd.exe');
  });

  it('discovers a Homebrew Apache and names its daemons by their whole display-names', async () => {
    const source = createPsListSource(async () => macDescriptors('ps-list-homebrew.json'));
    const [instance, ...others] = await discoverInstances(source, NOT_US);
    assert.equal(others.length, 0);
    assert.equal(instance?.parent.pid, 612);
    assert.equal(instance?.config.configFile.endsWith('httpd.conf'), true);
    const daemons = instance?.children.filter((member) => member.role === 'daemon');
    assert.deepEqual(
      daemons?.map((member) => [member.process.pid, member.group, member.via]),
      [
        [640, 'django', 'display-name'],
        [641, 'djangoadmin', 'display-name'],
      ],
    );
    assert.equal(instance?.children.find((member) => member.process.pid === 650)?.role, 'worker');
  });

  it('the system httpd (argv[0] of 15 characters) cuts names: told apart with the configuration, never guessed without', async () => {
    const source = createPsListSource(async () => macDescriptors('ps-list-system-cut.json'));
    const [instance] = await discoverInstances(source, NOT_US);
    const cut = instance?.children.find((member) => member.process.pid === 711);
    assert.deepEqual([cut?.role, cut?.group, cut?.via], ['daemon', null, 'ambiguous']);

    const context = {
      parentPid: 700,
      argv0Length: '/usr/sbin/httpd'.length,
      groups: [group(1, 'django'), group(2, 'djangoadmin')],
      listeners: null,
    };
    const { processes } = await source.list();
    const named = processes
      .filter((info) => info.ppid === 700)
      .map((info) => identifyChild(info, context, { socketIds: null }))
      .map((member) => [member.process.pid, member.group, member.via]);
    assert.deepEqual(named, [
      [710, 'django', 'display-name'],
      [711, 'djangoadmin', 'display-name'],
      [720, null, 'argv0'],
    ]);
  });
});

describe('ps-list source on Windows (fastlist: pid, ppid, name only)', () => {
  it('finds the httpd.exe whose parent is not httpd.exe, with its child, and shows its service', async () => {
    const source = createPsListSource(async () =>
      fastlistDescriptors(fixture('fastlist-service-apache.txt')),
    );
    const [instance, ...others] = await discoverInstances(source, NOT_US);
    assert.equal(others.length, 0);
    assert.equal(instance?.parent.pid, 4420);
    assert.deepEqual(instance?.parent.argv, ['httpd.exe']);
    assert.deepEqual(
      instance?.children.map((member) => [member.process.pid, member.role]),
      [[4588, 'worker']],
    );
    const text = renderPs(instance ? [instance] : [], {
      groups: [],
      workers: false,
      now: Date.now(),
      color: PLAIN,
      services: new Map([[4420, 'Apache2.4']]),
    });
    assert.match(text.split('\n')[0] ?? '', /^httpd\.exe pid 4420 {2}service Apache2\.4 {2}/);
    const records = toPsRecords(instance ? [instance] : [], [], new Map([[4420, 'Apache2.4']]));
    assert.deepEqual(
      records.map((record) => [record.pid, record.role, record.service]),
      [
        [4420, 'parent', 'Apache2.4'],
        [4588, 'worker', 'Apache2.4'],
      ],
    );
  });
});
