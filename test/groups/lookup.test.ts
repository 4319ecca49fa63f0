import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createConfig } from '../../src/apache/config/sections.js';
import { createSites } from '../../src/apache/config/sites.js';
import type { Member } from '../../src/groups/identify.js';
import type { ApacheInstance } from '../../src/groups/instance.js';
import { assertGroupsExist, daemonGroupsOf, instanceMembers, knownGroups } from '../../src/groups/lookup.js';
import type { ProcessInfo } from '../../src/processes/types.js';
import { commandLine } from '../helpers/apache-config.js';

function proc(pid: number, ppid: number): ProcessInfo {
  return {
    pid,
    ppid,
    uid: 33,
    user: 'www-data',
    startKey: '1',
    startedAt: new Date(0),
    argv: ['apache2'],
    comm: 'apache2',
    rssBytes: null,
    nsPid: pid,
  };
}

function daemon(pid: number, parent: number, group: string): Member {
  return { process: proc(pid, parent), role: 'daemon', group, via: 'socket', candidates: [], socketIds: [1] };
}

/** An instance with these running groups; `skipped` are defined inside a section Apache skips. */
function instance(pid: number, groups: string[], children: Member[], skipped: string[] = []): ApacheInstance {
  return {
    parent: { ...proc(pid, 1), uid: 0, user: 'root' },
    config: {
      ...createConfig(commandLine(), createSites()),
      skippedGroups: skipped.map((name, i) => ({
        name,
        file: '/etc/apache2/sites-enabled/app.conf',
        line: 10 + i,
        condition: '<IfDefine NOPE>',
      })),
    },
    context: { parentPid: pid, argv0Length: 7, groups: [], listeners: null },
    children,
    groups: groups.map((name) => ({
      name,
      config: null,
      members: children.filter((child) => child.group === name),
      verified: true,
    })),
    doubts: [],
    configReadAt: new Date(0),
    fileRoot: '',
    pidFilePid: pid,
    warnings: [],
  };
}

describe('knownGroups', () => {
  it('lists every group once, in the order first seen across instances', () => {
    const instances = [instance(10, ['django', 'flask'], []), instance(20, ['flask', 'admin'], [])];
    assert.deepEqual(knownGroups(instances), ['django', 'flask', 'admin']);
  });
});

describe('assertGroupsExist', () => {
  const instances = [instance(812, ['django', 'flask'], [])];

  it('accepts groups that exist, and no groups at all', () => {
    assertGroupsExist(daemonGroupsOf(instances), ['flask', 'django']);
    assertGroupsExist(daemonGroupsOf(instances), []);
  });

  it('compares names as literal text and lists the groups there are (exit 3)', () => {
    for (const name of ['djang', '.*'])
      assert.throws(() => assertGroupsExist(daemonGroupsOf(instances), [name]), {
        code: 'NO_SUCH_GROUP',
        message: `no group "${name}" under apache2 (pid 812): groups are django and flask`,
      });
  });

  it('says where a group that Apache skips is defined', () => {
    assert.throws(
      () => assertGroupsExist(daemonGroupsOf([instance(812, ['django'], [], ['ghost'])]), ['ghost']),
      {
        code: 'NO_SUCH_GROUP',
        message:
          'group "ghost" is defined at /etc/apache2/sites-enabled/app.conf:10 inside <IfDefine NOPE>, which Apache skips, so it has no processes under apache2 (pid 812)',
      },
    );
  });

  it('says when no Apache runs, and when one has no daemon groups', () => {
    assert.throws(() => assertGroupsExist(daemonGroupsOf([]), ['django']), {
      message: 'no group "django": no Apache (apache2/httpd) is running on this machine',
    });
    assert.throws(() => assertGroupsExist(daemonGroupsOf([instance(812, [], [])]), ['django']), {
      message: 'no group "django" under apache2 (pid 812): no WSGIDaemonProcess is configured there',
    });
  });
});

describe('instanceMembers', () => {
  it('puts the parent first, then the children in pid order', () => {
    const members = instanceMembers(
      instance(812, ['django'], [daemon(905, 812, 'django'), daemon(901, 812, 'django')]),
    );
    assert.deepEqual(
      members.map((member) => [member.process.pid, member.role]),
      [
        [812, 'parent'],
        [901, 'daemon'],
        [905, 'daemon'],
      ],
    );
  });
});
