import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostOutcome } from '../../src/fleet/outcome.js';
import { runHosts } from '../../src/fleet/pool.js';

/** Work whose hosts finish when the test says, so the order of events is the test's. */
function controlled() {
  const started: string[] = [];
  const finish = new Map<string, (code: number) => void>();
  const work = (host: string) =>
    new Promise<HostOutcome>((resolve) => {
      started.push(host);
      finish.set(host, (exitCode) => resolve({ host, exitCode }));
    });
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return { started, work, settle, end: (host: string, code = 0) => finish.get(host)?.(code) };
}

test('one host at a time; the first failure starts no new host', async () => {
  const c = controlled();
  const done: string[] = [];
  const running = runHosts(['h1', 'h2', 'h3'], { parallel: 1, stopOnFailure: true }, c.work, (run) =>
    done.push(`${run.host}:${run.state}`),
  );
  await c.settle();
  assert.deepEqual(c.started, ['h1']);
  c.end('h1');
  await c.settle();
  assert.deepEqual(c.started, ['h1', 'h2']);
  c.end('h2', 3);
  const result = await running;
  assert.deepEqual(c.started, ['h1', 'h2']);
  assert.deepEqual(
    result.runs.map((run) => run.state),
    ['done', 'failed', 'not-started'],
  );
  assert.deepEqual(done, ['h1:done', 'h2:failed']);
  assert.equal(result.interrupted, false);
});

test('--keep-going goes on past a failed host', async () => {
  const c = controlled();
  const running = runHosts(['h1', 'h2', 'h3'], { parallel: 1, stopOnFailure: false }, c.work);
  for (const [host, code] of [
    ['h1', 6],
    ['h2', 0],
    ['h3', 0],
  ] as const) {
    await c.settle();
    c.end(host, code);
  }
  assert.deepEqual(
    (await running).runs.map((run) => run.state),
    ['failed', 'done', 'done'],
  );
});

test('--parallel N keeps N hosts running; a failure lets the running ones finish', async () => {
  const c = controlled();
  const running = runHosts(['h1', 'h2', 'h3', 'h4'], { parallel: 3, stopOnFailure: true }, c.work);
  await c.settle();
  assert.deepEqual(c.started, ['h1', 'h2', 'h3']);
  c.end('h2', 1);
  await c.settle();
  assert.deepEqual(c.started, ['h1', 'h2', 'h3'], 'no new host after a failure');
  c.end('h1');
  c.end('h3');
  const result = await running;
  assert.deepEqual(
    result.runs.map((run) => run.state),
    ['done', 'failed', 'done', 'not-started'],
  );
});

test('a stop request starts no new host; the running one finishes', async () => {
  const c = controlled();
  let stop: (value: unknown) => void = () => {};
  const running = runHosts(
    ['h1', 'h2', 'h3'],
    { parallel: 1, stopOnFailure: true, stop: new Promise((resolve) => (stop = resolve)) },
    c.work,
  );
  await c.settle();
  c.end('h1');
  await c.settle();
  stop('SIGINT');
  await c.settle();
  assert.deepEqual(c.started, ['h1', 'h2']);
  c.end('h2');
  const result = await running;
  assert.deepEqual(
    result.runs.map((run) => run.state),
    ['done', 'done', 'not-started'],
  );
  assert.equal(result.interrupted, true);
});

test('a host whose wsgictl stopped on request (exit 130) is stopped, not failed', async () => {
  const c = controlled();
  let stop: (value: unknown) => void = () => {};
  const running = runHosts(
    ['h1', 'h2'],
    { parallel: 1, stopOnFailure: true, stop: new Promise((resolve) => (stop = resolve)) },
    c.work,
  );
  await c.settle();
  stop('SIGINT');
  c.end('h1', 130);
  const result = await running;
  assert.deepEqual(
    result.runs.map((run) => run.state),
    ['stopped', 'not-started'],
  );
  assert.equal(result.interrupted, true);
});
