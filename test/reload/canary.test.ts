import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { httpGet } from '../../src/http.js';
import type { GroupReloadResult } from '../../src/reload/types.js';
import { apacheSkipReason, useSandbox } from '../helpers/apache.js';
import { createImportingApp, waitForEveryDaemon } from '../helpers/app.js';
import { psJson, runCli } from '../helpers/cli.js';

const skip = apacheSkipReason();

// It compiles, so the pre-flight lets it through: it fails only when a daemon runs it.
const RAISING = 'raise RuntimeError("broken release")\n';

async function djangoPids(instance: number): Promise<number[]> {
  return (await psJson(instance))
    .filter((record) => record.role === 'daemon' && record.group === 'django')
    .map((record) => record.pid)
    .sort((a, b) => a - b);
}

describe('reload --rolling --check of a preloaded group, proving each process', {
  skip,
  timeout: 180_000,
}, () => {
  it('a release that raises at import replaces exactly one process; the others keep the old code; a good one goes through', async (t) => {
    const app = createImportingApp(t);
    const sandbox = await useSandbox(t, {
      groups: [{ name: 'django', processes: 3 }],
      extraConfig: app.mount('django'),
    });
    const instance = ['--instance', String(sandbox.pid)];
    await waitForEveryDaemon(sandbox, 'django', 3);
    const before = await djangoPids(sandbox.pid);
    assert.equal(before.length, 3);

    writeFileSync(app.module, RAISING);
    const broken = await runCli(['reload', 'django', '--rolling', '--check', ...instance]);
    assert.equal(broken.code, 1, broken.stdout + broken.stderr);
    const after = await djangoPids(sandbox.pid);
    const kept = after.filter((pid) => before.includes(pid));
    assert.equal(kept.length, 2, `exactly one replaced: ${before.join(' ')} -> ${after.join(' ')}`);
    assert.equal(after.length, 3);
    assert.match(broken.stdout, /RuntimeError: broken release/);
    assert.match(broken.stdout, /replacement \d+ failed: its WSGI script raised an exception as it loaded/);
    assert.equal((broken.stdout.match(/not signalled \(left running: on the old code/g) ?? []).length, 2);
    assert.match(broken.stderr, /the reload stopped there: 2 processes keep the old code/);
    // The old code still answers: the two old daemons serve /shop.
    const replies = await Promise.all(Array.from({ length: 12 }, () => httpGet(sandbox.url('shop'), 5000)));
    assert.ok(
      replies.some((reply) => reply.status === 200 && reply.body === 'hello from appmod'),
      replies.map((reply) => reply.status).join(' '),
    );

    app.fixModule();
    const good = await runCli(['reload', 'django', '--rolling', '--check', '--json', ...instance]);
    assert.equal(good.code, 0, good.stdout + good.stderr);
    const [result] = JSON.parse(good.stdout) as GroupReloadResult[];
    assert.equal(result?.outcome, 'replaced');
    const final = await djangoPids(sandbox.pid);
    assert.equal(final.filter((pid) => after.includes(pid)).length, 0, 'all three replaced');
  });

  it('--canary 1 proves one, then replaces the rest at once; a failing one stops it', async (t) => {
    const app = createImportingApp(t);
    const sandbox = await useSandbox(t, {
      groups: [{ name: 'django', processes: 3 }],
      extraConfig: app.mount('django'),
    });
    const instance = ['--instance', String(sandbox.pid)];
    await waitForEveryDaemon(sandbox, 'django', 3);
    const before = await djangoPids(sandbox.pid);
    const good = await runCli(['reload', 'django', '--canary', '1', ...instance]);
    assert.equal(good.code, 0, good.stdout + good.stderr);
    const middle = await djangoPids(sandbox.pid);
    assert.equal(middle.filter((pid) => before.includes(pid)).length, 0, 'all three replaced');

    writeFileSync(app.module, RAISING);
    const broken = await runCli(['reload', 'django', '--canary', '1', ...instance]);
    assert.equal(broken.code, 1, broken.stdout + broken.stderr);
    const after = await djangoPids(sandbox.pid);
    assert.equal(after.filter((pid) => middle.includes(pid)).length, 2, 'only the canary was replaced');
    assert.match(broken.stdout, /RuntimeError: broken release/);
  });
});
