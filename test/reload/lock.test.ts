import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findSocketInode, lockName } from '../../src/reload/lock.js';

describe('findSocketInode', () => {
  it('finds the lock in /proc/net/unix, where Node pads the abstract name with NULs shown as @', () => {
    // Recorded on this machine while `net.createServer().listen({ path: '\0wsgictl-lock-test-1' })` ran.
    const netUnix = [
      'Num       RefCount Protocol Flags    Type St Inode Path',
      '0000000000000000: 00000002 00000000 00010000 0001 01 20117 /run/systemd/journal/stdout',
      `00000000b58b7e52: 00000002 00000000 00010000 0001 01 53099 @wsgictl-lock-test-1${'@'.repeat(86)}`,
      `00000000b58b7e53: 00000002 00000000 00010000 0001 01 53100 @wsgictl-lock-test-12${'@'.repeat(85)}`,
    ].join('\n');
    assert.equal(findSocketInode(netUnix, 'wsgictl-lock-test-1'), '53099');
    assert.equal(findSocketInode(netUnix, 'wsgictl-lock-test-2'), null);
  });

  it('names one lock per Apache parent and start time', () => {
    assert.equal(lockName(812, '5521'), 'wsgictl-lock-812-5521');
  });
});
