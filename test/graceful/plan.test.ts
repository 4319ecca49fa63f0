import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonGroupConfig } from '../../src/apache/config/model.js';
import { createConfig } from '../../src/apache/config/sections.js';
import { createSites } from '../../src/apache/config/sites.js';
import { planGroups } from '../../src/graceful/plan.js';
import type { Member } from '../../src/groups/identify.js';
import type { ApacheInstance } from '../../src/groups/instance.js';
import { commandLine } from '../helpers/apache-config.js';
import { PARENT, proc } from '../helpers/processes.js';

function group(id: number, name: string, fields: Partial<DaemonGroupConfig> = {}): DaemonGroupConfig {
  return {
    id,
    name,
    processes: 1,
    threads: 2,
    user: null,
    group: null,
    displayName: '%{GROUP}',
    file: 'x',
    line: id,
    ...fields,
  };
}

/** A running daemon holding the listener of group `socketId` (as Apache numbered them when it last read). */
function daemon(pid: number, socketId: number, argv0: string, user = 'www-data'): Member {
  return {
    process: proc(pid, { argv: [argv0], user }),
    role: 'daemon',
    group: null,
    via: 'socket',
    candidates: [],
    socketIds: [socketId],
  };
}

/** An instance started as `argv0` whose configuration now reads `groups`, running `children`. */
function instance(argv0: string, groups: DaemonGroupConfig[], children: Member[]): ApacheInstance {
  return {
    parent: proc(PARENT, { ppid: 1, uid: 0, user: 'root', argv: [argv0] }),
    config: { ...createConfig(commandLine(), createSites()), groups },
    context: { parentPid: PARENT, argv0Length: argv0.length, groups, listeners: null },
    children,
    groups: [],
    doubts: [],
    configReadAt: new Date(0),
    fileRoot: '',
    pidFilePid: PARENT,
    warnings: [],
  };
}

const summary = (planned: ReturnType<typeof planGroups>) =>
  planned.map((g) => [g.group, g.change, g.oldPids, g.differences]);

describe('planGroups', () => {
  it('added, restarted with what a daemon shows to differ, removed by its uncut display-name', () => {
    const running = [
      daemon(21, 1, '(wsgi:alpha)'),
      daemon(22, 1, '(wsgi:alpha)'),
      daemon(23, 2, '(wsgi:beta)'),
      daemon(24, 3, '(wsgi:old)'),
    ];
    const now = [
      group(1, 'alpha', { processes: 3 }),
      group(2, 'beta', { user: 'nobody', displayName: 'beta-web' }),
      group(3, 'gamma'),
    ];
    assert.deepEqual(summary(planGroups(instance('/usr/sbin/apache2', now, running))), [
      ['alpha', 'restarted', [21, 22], ['processes 2 -> 3']],
      [
        'beta',
        'restarted',
        [23],
        ['user www-data -> nobody', 'display-name shown "(wsgi:beta)" -> "beta-web"'],
      ],
      ['gamma', 'added', [], []],
      ['old', 'removed', [24], []],
    ]);
  });

  it('names a cut name by its socket place only when it fits the group there; else by its socket id', () => {
    // Started as apache2 (7 chars): every name is cut to "(wsgi:a" or "(wsgi:b". alpha was removed from the
    // top, so beta is now first: socket 1 shows "(wsgi:a", which does not fit beta.
    const running = [daemon(21, 1, '(wsgi:a'), daemon(22, 2, '(wsgi:b')];
    assert.deepEqual(summary(planGroups(instance('apache2', [group(1, 'beta')], running))), [
      ['beta', 'added', [], []],
      ['socket id 1', 'removed', [21], []],
      ['socket id 2', 'removed', [22], []],
    ]);
    // Nothing moved: each cut name fits the group at its place.
    const same = [group(1, 'alpha'), group(2, 'beta')];
    assert.deepEqual(summary(planGroups(instance('apache2', same, running))), [
      ['alpha', 'restarted', [21], []],
      ['beta', 'restarted', [22], []],
    ]);
  });

  it('leaves workers and daemons holding no single listener out', () => {
    const worker: Member = { ...daemon(30, 1, 'apache2'), role: 'worker', socketIds: [] };
    const forked: Member = { ...daemon(31, 1, 'apache2'), socketIds: [1, 2] };
    assert.deepEqual(summary(planGroups(instance('apache2', [group(1, 'alpha')], [worker, forked]))), [
      ['alpha', 'added', [], []],
    ]);
  });
});
