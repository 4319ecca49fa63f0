import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { httpGet } from '../../src/http.js';
import { createProcessSource } from '../../src/processes/index.js';
import type { GroupReloadResult } from '../../src/reload/types.js';
import { apacheSkipReason, useSandbox, waitFor } from '../helpers/apache.js';
import { psJson, runCli } from '../helpers/cli.js';

const skip = apacheSkipReason();

async function reloadJson(args: string[]): Promise<{ code: number | null; results: GroupReloadResult[] }> {
  const result = await runCli(['reload', '--json', ...args]);
  assert.ok(result.stdout, result.stderr);
  return { code: result.code, results: JSON.parse(result.stdout) as GroupReloadResult[] };
}

/** Continues a daemon this test stopped; it may be gone already. */
function resume(pid: number): void {
  try {
    process.kill(pid, 'SIGCONT');
  } catch {}
}

describe('reload --timeout reports every planned process', { skip }, () => {
  it('--rolling: the timeout is per process, and the processes never signalled are named and left alone', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'big', processes: 4 }] });
    const instance = ['--instance', String(sandbox.pid)];
    const planned = await reloadJson(['big', '--dry-run', ...instance]);
    const order = planned.results[0]?.oldPids ?? [];
    const [first, second, third, fourth] = order;
    assert.ok(first && second && third && fourth, `four daemons planned: ${order}`);
    // The third daemon of our own Apache is stopped so that its step cannot finish: whatever the machine's
    // speed, the rolling reload ends there.
    process.kill(third, 'SIGSTOP');
    t.after(() => resume(third));

    const timeoutMs = 2500;
    const { code, results } = await reloadJson([
      'big',
      '--rolling',
      '--timeout',
      `${timeoutMs}ms`,
      ...instance,
    ]);
    resume(third);
    assert.equal(code, 1);
    const [result] = results;
    assert.equal(result?.outcome, 'timeout');
    assert.deepEqual(result?.oldPids, order);
    assert.deepEqual(
      result?.members.map((m) => [m.pid, m.state]),
      [
        [first, 'replaced'],
        [second, 'replaced'],
        // Stopped and idle: it did not exit, and nothing says it is finishing requests.
        [third, 'still-running'],
        [fourth, 'not-signalled'],
      ],
    );
    assert.equal(result?.missing, 1);
    // Two steps and then a whole timeout for the third: more than one timeout in all.
    assert.ok((result?.ms ?? 0) > timeoutMs, `took ${result?.ms} ms`);

    const daemons = (await psJson(sandbox.pid)).filter((r) => r.group === 'big').map((r) => r.pid);
    const newPids = result?.members.flatMap((m) => (m.newPid === undefined ? [] : [m.newPid])) ?? [];
    assert.equal(newPids.length, 2);
    for (const pid of newPids) assert.ok(daemons.includes(pid), `replacement ${pid} runs`);
    assert.ok(daemons.includes(fourth), `never-signalled ${fourth} still runs with its old pid`);
    assert.ok(!daemons.includes(first) && !daemons.includes(second));
  });

  it('--graceful: an old daemon still finishing a request at the timeout is "still draining", not missing', async (t) => {
    const sandbox = await useSandbox(t, {
      argv0: 'apache2',
      groups: [{ name: 'django', processes: 1, threads: 1 }],
    });
    const [daemon] = (await psJson(sandbox.pid)).filter((r) => r.group === 'django').map((r) => r.pid);
    assert.ok(daemon);
    const source = createProcessSource();
    const idle = (await source.socketInodes(daemon))?.size ?? 0;
    const slow = httpGet(sandbox.url('django', '/?sleep=4000'), 20_000);
    // The daemon holds one more socket once it has accepted the request from Apache's worker.
    await waitFor('the daemon to accept the slow request', async () => {
      return ((await source.socketInodes(daemon))?.size ?? 0) > idle;
    });

    const result = await runCli([
      'reload',
      'django',
      '--graceful',
      '--timeout',
      '1s',
      '--instance',
      String(sandbox.pid),
    ]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(`\\n {2}${daemon} still draining \\(still running at the timeout`),
    );
    assert.doesNotMatch(result.stdout, /missing/);
    assert.match(result.stdout, /timeout after 1\.\d\ds: 1 still draining\n$/);
    // The daemon did finish the request it was draining.
    assert.deepEqual(await slow, { status: 200, body: `django ${daemon}\n` });
  });
});
