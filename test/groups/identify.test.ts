import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonGroupConfig } from '../../src/apache/config/model.js';
import { identifyChild, matchDisplayName } from '../../src/groups/identify.js';
import { parseListenerPath } from '../../src/groups/listeners.js';
import type { ProcessInfo } from '../../src/processes/types.js';

function group(id: number, name: string, displayName: string | null = '%{GROUP}'): DaemonGroupConfig {
  return { id, name, processes: 1, threads: 1, user: null, group: null, displayName, file: 'x', line: id };
}

const GROUPS = [
  group(1, 'django'),
  group(2, 'djangoadmin'),
  group(3, 'plain', null),
  group(4, 'cust', 'mycustom'),
];

function child(argv0: string): ProcessInfo {
  return {
    pid: 100,
    ppid: 10,
    uid: 33,
    user: 'www-data',
    startKey: '1',
    startedAt: new Date(0),
    argv: [argv0, '-k', 'start'],
    comm: 'apache2',
    rssBytes: null,
    nsPid: 100,
  };
}

describe('matchDisplayName', () => {
  it('tells groups apart when Apache ran under a long argv[0]', () => {
    const context = {
      parentPid: 10,
      argv0Length: '/usr/sbin/apache2'.length,
      groups: GROUPS,
      listeners: null,
    };
    assert.deepEqual(matchDisplayName('(wsgi:django)    ', context), ['django']);
    assert.deepEqual(matchDisplayName('(wsgi:djangoadmin)'.slice(0, 17), context), ['djangoadmin']);
  });

  it('finds every group a cut name fits when Apache ran as `apache2`', () => {
    const context = { parentPid: 10, argv0Length: 7, groups: GROUPS, listeners: null };
    assert.deepEqual(matchDisplayName('(wsgi:d', context), ['django', 'djangoadmin']);
    assert.deepEqual(matchDisplayName('mycusto', context), ['cust']);
  });

  it('never matches by prefix alone: a name longer than the cut fits nothing', () => {
    const context = { parentPid: 10, argv0Length: 7, groups: GROUPS, listeners: null };
    assert.deepEqual(matchDisplayName('(wsgi:dj', context), []);
    assert.deepEqual(matchDisplayName('apache2', context), []);
  });

  it('reads an uncut (wsgi:NAME) when no configuration could be read', () => {
    assert.deepEqual(
      matchDisplayName('(wsgi:flask)', { parentPid: 10, argv0Length: 20, groups: [], listeners: null }),
      ['flask'],
    );
  });
});

describe('parseListenerPath', () => {
  it('reads the parent pid, generation and WSGIDaemonProcess id, with and without socket rotation', () => {
    assert.deepEqual(parseListenerPath('7', '/var/run/apache2/wsgi.2184.3.2.sock'), {
      inode: '7',
      path: '/var/run/apache2/wsgi.2184.3.2.sock',
      pid: 2184,
      generation: 3,
      id: 2,
    });
    assert.deepEqual(parseListenerPath('8', '/tmp/x/wsgi.2184.u33.12.sock')?.generation, null);
    assert.deepEqual(parseListenerPath('8', '/tmp/x/wsgi.2184.u33.12.sock')?.id, 12);
  });

  it('ignores sockets not named like a listener', () => {
    assert.equal(parseListenerPath('9', '/run/systemd/notify'), null);
    assert.equal(parseListenerPath('9', '/tmp/wsgi.2184.sock'), null);
  });
});

describe('identifyChild', () => {
  const cut = { parentPid: 10, argv0Length: 7, groups: GROUPS, listeners: null };

  it('trusts the socket over a cut display-name', () => {
    const member = identifyChild(child('(wsgi:d'), cut, { socketIds: [2] });
    assert.deepEqual([member.role, member.group, member.via], ['daemon', 'djangoadmin', 'socket']);
  });

  it('finds a group without display-name through its socket only', () => {
    assert.equal(identifyChild(child('apache2'), cut, { socketIds: [3] }).group, 'plain');
    const unreadable = identifyChild(child('apache2'), cut, { socketIds: null });
    assert.deepEqual([unreadable.role, unreadable.group, unreadable.via], ['worker', null, 'argv0']);
  });

  it('reports a cut name that fits two groups as ambiguous, never a guess', () => {
    const member = identifyChild(child('(wsgi:d'), cut, { socketIds: null });
    assert.deepEqual(
      [member.role, member.group, member.via, member.candidates],
      ['daemon', null, 'ambiguous', ['django', 'djangoadmin']],
    );
  });

  it('calls a child with readable fds and no mod_wsgi socket a worker', () => {
    const member = identifyChild(child('apache2'), cut, { socketIds: [] });
    assert.deepEqual([member.role, member.via], ['worker', 'no-socket']);
  });

  it('names no group for a child holding two listeners, or one no configured group has', () => {
    for (const socketIds of [[1, 2], [9]]) {
      const member = identifyChild(child('apache2'), cut, { socketIds });
      assert.deepEqual([member.role, member.group, member.via], ['daemon', null, 'ambiguous']);
    }
  });
});
