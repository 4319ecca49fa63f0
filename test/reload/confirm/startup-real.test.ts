import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { apacheSkipReason, requireRoot, useSandbox } from '../../helpers/apache.js';
import { waitForEveryDaemon } from '../../helpers/app.js';
import { runCli } from '../../helpers/cli.js';

const skip = apacheSkipReason();

describe('reload of a group whose new daemons cannot be set up', { skip, timeout: 120_000 }, () => {
  it("fails as soon as they log it, not when mod_wsgi's 20 s delay ends", async (t) => {
    requireRoot('daemons that switch to www-data and cannot enter a folder only root may enter');
    const home = mkdtempSync(join(tmpdir(), 'wsgictl-home-'));
    chmodSync(home, 0o755);
    t.after(() => rmSync(home, { recursive: true, force: true }));
    const sandbox = await useSandbox(t, {
      groups: [{ name: 'django', processes: 2, options: `home=${home}` }],
    });
    await waitForEveryDaemon(sandbox, 'django', 2);
    // The daemons chdir to home= after switching user: now the replacements cannot.
    chmodSync(home, 0o700);
    const started = Date.now();
    const result = await runCli(['reload', 'django', '--no-preflight', '--instance', String(sandbox.pid)]);
    const seconds = (Date.now() - started) / 1000;
    t.diagnostic(`reported after ${seconds.toFixed(2)} s`);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.ok(seconds < 15, `reported after ${seconds} s: that is mod_wsgi's 20 s delay, not the log`);
    assert.match(result.stdout, /group django: [12] new daemons? could not start \(pids? \d+/);
    assert.match(result.stdout, new RegExp(`Unable to change working directory to '${home}'`));
    assert.match(
      result.stdout,
      /Failure to configure the daemon process|Daemon process configuration failed/,
    );
    assert.match(result.stderr, /could not start .*wait 20 s before they exit/);
  });
});
