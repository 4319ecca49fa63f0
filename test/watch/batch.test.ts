import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBatcher } from '../../src/watch/batch.js';
import { manualTimer } from '../helpers/manual-timer.js';

const failOnError = (error: unknown): void => assert.fail(error as Error);

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('createBatcher', () => {
  it('runs once, after the quiet window, with every path of a burst', async () => {
    const timer = manualTimer();
    const runs: string[][] = [];
    const batcher = createBatcher({
      debounceMs: 100,
      timer,
      onRunError: failOnError,
      run: async (p) => void runs.push(p),
    });
    for (let i = 0; i < 300; i++) {
      batcher.push([`f${i}.py`]);
      await timer.advance(50); // never 100 ms of quiet
    }
    assert.equal(runs.length, 0);
    await timer.advance(100);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]?.length, 300);
  });

  it('does not run before the window has passed', async () => {
    const timer = manualTimer();
    const runs: string[][] = [];
    const batcher = createBatcher({
      debounceMs: 100,
      timer,
      onRunError: failOnError,
      run: async (p) => void runs.push(p),
    });
    batcher.push(['a.py', 'a.py']);
    await timer.advance(99);
    assert.equal(runs.length, 0);
    await timer.advance(1);
    assert.deepEqual(runs, [['a.py']]);
  });

  it('never runs twice at once; changes during a run give exactly one more run after it', async () => {
    const timer = manualTimer();
    const runs: string[][] = [];
    let active = 0;
    let maxActive = 0;
    const gates: Array<() => void> = [];
    const batcher = createBatcher({
      debounceMs: 100,
      timer,
      onRunError: failOnError,
      run: async (paths) => {
        runs.push(paths);
        active++;
        maxActive = Math.max(maxActive, active);
        const gate = deferred();
        gates.push(gate.resolve);
        await gate.promise;
        active--;
      },
    });
    batcher.push(['a.py']);
    await timer.advance(100);
    assert.equal(runs.length, 1);
    for (const name of ['b.py', 'c.py', 'd.py']) {
      batcher.push([name]);
      await timer.advance(150); // each one's window passes while the first run is still going
    }
    assert.equal(runs.length, 1);
    gates.shift()?.();
    await timer.advance(0);
    assert.deepEqual(runs[1], ['b.py', 'c.py', 'd.py']);
    gates.shift()?.();
    await timer.advance(1000);
    assert.equal(runs.length, 2);
    assert.equal(maxActive, 1);
  });

  it('a run that throws is reported and batching goes on', async () => {
    const timer = manualTimer();
    const errors: unknown[] = [];
    let calls = 0;
    const batcher = createBatcher({
      debounceMs: 10,
      timer,
      onRunError: (error) => errors.push(error),
      run: async () => {
        calls++;
        if (calls === 1) throw new Error('group gone');
      },
    });
    batcher.push(['a.py']);
    await timer.advance(10);
    batcher.push(['b.py']);
    await timer.advance(10);
    assert.equal(calls, 2);
    assert.equal((errors[0] as Error).message, 'group gone');
  });

  it('stop waits for the run in flight and starts no other', async () => {
    const timer = manualTimer();
    const gate = deferred();
    let finished = false;
    let calls = 0;
    const batcher = createBatcher({
      debounceMs: 10,
      timer,
      onRunError: failOnError,
      run: async () => {
        calls++;
        await gate.promise;
        finished = true;
      },
    });
    batcher.push(['a.py']);
    await timer.advance(10);
    batcher.push(['b.py']);
    const stopping = batcher.stop();
    assert.equal(timer.armed(), 0);
    gate.resolve();
    await stopping;
    assert.equal(finished, true);
    await timer.advance(100);
    assert.equal(calls, 1);
  });
});
