import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GroupReloadResult } from '../../src/reload/types.js';
import { apacheSkipReason, useSandbox } from '../helpers/apache.js';
import { runCli } from '../helpers/cli.js';

const skip = apacheSkipReason();

describe('reload --check --expect against a real Apache', { skip, timeout: 120_000 }, () => {
  it('the text live: exit 0; a text the app does not answer with: exit 1, saying so', async (t) => {
    // The sandbox's app answers "GROUP PID": the group's name stands in for a release's version.
    const sandbox = await useSandbox(t, { groups: [{ name: 'django', processes: 1 }] });
    const instance = ['--instance', String(sandbox.pid)];
    const live = await runCli(['reload', 'django', '--check', '--expect', 'django ', '--json', ...instance]);
    assert.equal(live.code, 0, live.stdout + live.stderr);
    const [result] = JSON.parse(live.stdout) as GroupReloadResult[];
    assert.deepEqual(
      result?.health?.map((entry) => [entry.status, entry.ok]),
      [[200, true]],
    );

    const stale = await runCli(['reload', 'django', '--check', '--expect', 'release v2.4', ...instance]);
    assert.equal(stale.code, 1, stale.stdout + stale.stderr);
    assert.match(
      stale.stdout,
      /GET http:\/\/127\.0\.0\.1:\d+\/django -> 200 OK in \d+ms \(the body does not contain "release v2\.4"\)/,
    );

    const status = await runCli(['reload', 'django', '--check', '--expect-status', '201', ...instance]);
    assert.equal(status.code, 1);
    assert.match(status.stdout, /-> 200 OK in \d+ms \(status 200, not 201\)/);
  });
});
