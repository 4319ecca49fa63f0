import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProcHiding } from '../../src/processes/hidepid.js';

const line = (options: string, point = '/proc') =>
  `22 27 0:21 / ${point} rw,relatime shared:12 - proc proc ${options}`;

describe('hidepid in /proc/self/mountinfo', () => {
  it('reads hidepid= and gid= of the proc mount at /proc, the last one mounted there winning', () => {
    assert.equal(parseProcHiding(line('rw')), null);
    assert.deepEqual(parseProcHiding(line('rw,hidepid=2')), { hidepid: '2', gid: null });
    assert.deepEqual(parseProcHiding(line('rw,gid=27,hidepid=invisible')), { hidepid: 'invisible', gid: 27 });
    assert.equal(parseProcHiding(line('rw,hidepid=0')), null);
    assert.equal(parseProcHiding(line('rw,hidepid=2', '/mnt/proc')), null, 'another mount point');
    assert.equal(parseProcHiding(`${line('rw,hidepid=2')}\n${line('rw')}`), null, 'mounted over');
  });
});
