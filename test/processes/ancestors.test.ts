import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selfAndAncestors } from '../../src/processes/ancestors.js';

const parents = (pairs: [number, number][]) => new Map(pairs.map(([pid, ppid]) => [pid, { ppid }]));

describe('selfAndAncestors', () => {
  it('walks from the pid up to init, stopping at pid 0', () => {
    assert.deepEqual(
      [
        ...selfAndAncestors(
          parents([
            [1, 0],
            [50, 1],
            [60, 50],
            [70, 1],
          ]),
          60,
        ),
      ],
      [60, 50, 1],
    );
  });

  it('stops at a parent that is not in the map (it exited, or is in another namespace)', () => {
    assert.deepEqual([...selfAndAncestors(parents([[60, 50]]), 60)], [60, 50]);
  });

  it('stops on a loop', () => {
    assert.deepEqual(
      [
        ...selfAndAncestors(
          parents([
            [2, 3],
            [3, 2],
          ]),
          2,
        ),
      ],
      [2, 3],
    );
    assert.deepEqual([...selfAndAncestors(parents([[4, 4]]), 4)], [4]);
  });

  it('is empty for pid 0 or below', () => {
    assert.deepEqual([...selfAndAncestors(parents([]), 0)], []);
  });

  it('holds this process and its parent on the real table', async () => {
    const { readFile } = await import('node:fs/promises');
    const ppidOf = async (pid: number) =>
      Number((await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ')[1]);
    const map = new Map<number, { ppid: number }>();
    for (let pid = process.pid; pid > 0 && !map.has(pid); ) {
      const ppid = await ppidOf(pid);
      map.set(pid, { ppid });
      pid = ppid;
    }
    const chain = selfAndAncestors(map, process.pid);
    assert.ok(chain.has(process.pid) && chain.has(process.ppid) && chain.has(1));
  });
});
