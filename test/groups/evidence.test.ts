import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isUnverified, readEvidence } from '../../src/groups/evidence.js';
import type { Member } from '../../src/groups/identify.js';
import type { ApacheInstance } from '../../src/groups/instance.js';
import type { Listener } from '../../src/groups/listeners.js';

const SOCKET = '/var/run/apache2/wsgi.4242.0.2.sock';

function instanceWith(listeners: Listener[] | null, doubts: string[] = []): ApacheInstance {
  const map = listeners === null ? null : new Map(listeners.map((l) => [l.inode, l]));
  return { context: { listeners: map }, doubts } as unknown as ApacheInstance;
}

function member(socketIds: number[] | null, argv0 = '(wsgi:shop)   '): Member {
  return { process: { pid: 7, argv: [argv0] }, socketIds } as unknown as Member;
}

const listeners: Listener[] = [
  { inode: '11', path: '/var/run/apache2/wsgi.4242.0.1.sock', pid: 4242, generation: 0, id: 1 },
  { inode: '12', path: SOCKET, pid: 4242, generation: 0, id: 2 },
];

describe('readEvidence', () => {
  it('names the one listener a daemon holds, with its path, and the display-name with trailing blanks cut', () => {
    assert.deepEqual(readEvidence(member([2]), instanceWith(listeners)), {
      socketId: 2,
      socketPath: SOCKET,
      displayName: '(wsgi:shop)',
    });
  });

  it('names no socket when it holds none, several, or its fds were closed', () => {
    for (const ids of [[], [1, 2], null]) {
      const evidence = readEvidence(member(ids), instanceWith(listeners));
      assert.deepEqual([evidence.socketId, evidence.socketPath], [null, null], String(ids));
    }
  });

  it('keeps the id but no path when the parent listeners are unknown or hold no such id', () => {
    assert.deepEqual(readEvidence(member([2]), instanceWith(null)).socketPath, null);
    assert.deepEqual(readEvidence(member([3]), instanceWith(listeners)), {
      socketId: 3,
      socketPath: null,
      displayName: '(wsgi:shop)',
    });
  });

  it('gives an empty display-name for a process with no argv', () => {
    const bare = { process: { pid: 7, argv: [] }, socketIds: null } as unknown as Member;
    assert.equal(readEvidence(bare, instanceWith(listeners)).displayName, '');
  });
});

describe('isUnverified', () => {
  it('is true exactly when the instance has doubts', () => {
    assert.equal(isUnverified(instanceWith(listeners)), false);
    assert.equal(
      isUnverified(instanceWith(listeners, ['the configuration changed since Apache read it'])),
      true,
    );
  });
});
