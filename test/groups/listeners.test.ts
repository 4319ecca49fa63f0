import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { heldIds, type Listener, parseListenerPath, readListeners } from '../../src/groups/listeners.js';
import type { ProcessInfo, ProcessSource } from '../../src/processes/types.js';

describe('parseListenerPath', () => {
  it('reads pid, generation and id of a rotated socket name', () => {
    assert.deepEqual(parseListenerPath('42', '/run/apache2/wsgi.812.3.2.sock'), {
      inode: '42',
      path: '/run/apache2/wsgi.812.3.2.sock',
      pid: 812,
      generation: 3,
      id: 2,
    });
  });

  it('reads u<uid> (WSGISocketRotation Off) as no generation', () => {
    assert.deepEqual(parseListenerPath('7', '/var/run/wsgi.100.u33.1.sock'), {
      inode: '7',
      path: '/var/run/wsgi.100.u33.1.sock',
      pid: 100,
      generation: null,
      id: 1,
    });
  });

  it('reads the last fields even when the prefix holds dots and digits', () => {
    const listener = parseListenerPath('1', '/tmp/a.1.2/wsgi.5.6.7.8.sock');
    assert.deepEqual([listener?.pid, listener?.generation, listener?.id], [6, 7, 8]);
  });

  it('refuses names that are not listener sockets', () => {
    for (const path of [
      '/run/wsgi.812.0.sock',
      '/run/wsgi.812.0.1.sock.lock',
      '/run/cgisock.812',
      '/run/wsgi.812.x0.1.sock',
      '@abstract',
      '',
    ])
      assert.equal(parseListenerPath('1', path), null, path);
  });
});

describe('heldIds', () => {
  const parent = new Map<string, Listener>([
    ['10', { inode: '10', path: '/r/wsgi.1.0.1.sock', pid: 1, generation: 0, id: 1 }],
    ['11', { inode: '11', path: '/r/wsgi.1.0.2.sock', pid: 1, generation: 0, id: 2 }],
  ]);

  it("keeps only the parent's listeners, once per id", () => {
    assert.deepEqual(heldIds(new Set(['99', '11', '10']), parent)?.sort(), [1, 2]);
    assert.deepEqual(heldIds(new Set(['99']), parent), []);
  });

  it('is null when the fds could not be read', () => {
    assert.equal(heldIds(null, parent), null);
  });
});

function sourceWith(inodes: Set<string> | null, paths: Map<string, string> | null): ProcessSource {
  const unused = () => Promise.reject(new Error('not used'));
  return {
    platform: 'linux',
    list: unused,
    ancestors: unused,
    read: unused,
    environment: unused,
    fileRoot: unused,
    executable: unused,
    socketInodes: async () => inodes,
    unixSocketPaths: async () => paths,
  };
}

describe('readListeners', () => {
  const process = { pid: 812 } as ProcessInfo;

  it('lists the listener sockets held, sorted by group id, and skips other sockets', async () => {
    const source = sourceWith(
      new Set(['a', 'b', 'c', 'd']),
      new Map([
        ['a', '/run/wsgi.812.0.3.sock'],
        ['b', '/run/other.sock'],
        ['c', '/run/wsgi.812.0.1.sock'],
      ]),
    );
    const listeners = await readListeners(source, process);
    assert.deepEqual(
      listeners?.map((listener) => [listener.inode, listener.id]),
      [
        ['c', 1],
        ['a', 3],
      ],
    );
  });

  it('is [] for a process with no sockets, without asking for the socket table', async () => {
    assert.deepEqual(await readListeners(sourceWith(new Set(), null), process), []);
  });

  it('is null when the fds or the socket table cannot be read', async () => {
    assert.equal(await readListeners(sourceWith(null, new Map()), process), null);
    assert.equal(await readListeners(sourceWith(new Set(['a']), null), process), null);
  });
});
