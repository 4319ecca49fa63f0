import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessSource, UnixSocketState } from '../../../src/processes/types.js';
import { countEachInFlight, countInFlight } from '../../../src/reload/confirm/in-flight.js';

const LISTENER = '/var/run/apache2/wsgi.4242.0.1.sock';

/** A process table that knows pid -> (inodes, socket states), as /proc/PID/fd and /proc/net/unix give them. */
function sourceOf(
  table: Record<number, { inodes: string[] | null; sockets: Record<string, UnixSocketState> | null }>,
  withStates = true,
): ProcessSource {
  return {
    socketInodes: async (pid: number) => {
      const inodes = table[pid]?.inodes;
      return inodes ? new Set(inodes) : null;
    },
    ...(withStates
      ? {
          unixSocketStates: async (pid: number) => {
            const sockets = table[pid]?.sockets;
            return sockets ? new Map(Object.entries(sockets)) : null;
          },
        }
      : {}),
  } as unknown as ProcessSource;
}

describe('countInFlight', () => {
  it('counts connected sockets on a mod_wsgi listener path only', async () => {
    const source = sourceOf({
      7: {
        inodes: ['1', '2', '3', '4', '5', '6'],
        sockets: {
          '1': { path: LISTENER, state: '01' }, // the listener itself
          '2': { path: LISTENER, state: '03' }, // a request
          '3': { path: LISTENER, state: '03' }, // another
          '4': { path: '/run/postgresql/.s.PGSQL.5432', state: '03' }, // the app's database
          '5': { path: null, state: '03' }, // an unnamed peer
          // '6' is TCP: not in the unix table
        },
      },
    });
    assert.equal(await countInFlight(source, 7), 2);
  });

  it('is 0 for an idle daemon', async () => {
    const source = sourceOf({ 7: { inodes: ['1'], sockets: { '1': { path: LISTENER, state: '01' } } } });
    assert.equal(await countInFlight(source, 7), 0);
  });

  it('cannot tell (null) without socket states, or when fds or the table cannot be read', async () => {
    assert.equal(await countInFlight(sourceOf({ 7: { inodes: ['1'], sockets: {} } }, false), 7), null);
    assert.equal(await countInFlight(sourceOf({ 7: { inodes: null, sockets: {} } }), 7), null);
    assert.equal(await countInFlight(sourceOf({ 7: { inodes: ['1'], sockets: null } }), 7), null);
  });
});

describe('countEachInFlight', () => {
  it('maps each pid to its count or null', async () => {
    const source = sourceOf({
      7: { inodes: ['2'], sockets: { '2': { path: LISTENER, state: '03' } } },
      8: { inodes: null, sockets: null },
    });
    assert.deepEqual(
      [...(await countEachInFlight(source, [7, 8]))],
      [
        [7, 1],
        [8, null],
      ],
    );
  });
});
