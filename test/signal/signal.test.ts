import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createProcessSource } from '../../src/processes/index.js';
import type { Kill } from '../../src/reload/recheck.js';
import type { ReloadEvent } from '../../src/reload/types.js';
import { findApache } from '../../src/sandbox/install.js';
import { signalGroup } from '../../src/signal/signal.js';
import { apacheSkipReason, useSandbox } from '../helpers/apache.js';
import { subscribeSignalsConfig } from '../helpers/signal-app.js';

const skip = apacheSkipReason();

/** Passes every call on to the kernel, and keeps the non-zero signals sent (signal 0 only asks). */
function recordingKill(): { kill: Kill; sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    kill: (pid, signal) => {
      if (signal !== 0) sent.push(`${pid} ${signal}`);
      process.kill(pid, signal);
    },
  };
}

describe('signalGroup, against a real Apache', { skip, timeout: 120_000 }, () => {
  it('sends on 6.x only: each daemon signalled once, alive after; below 6.0 nothing at all', async (t) => {
    const app = subscribeSignalsConfig(t, 'django');
    const sandbox = await useSandbox(t, {
      groups: [{ name: 'django', processes: 2 }],
      extraConfig: app.config,
    });
    const major = Number(sandbox.wsgiVersion?.split('.')[0]);
    const { kill, sent } = recordingKill();
    const events: ReloadEvent[] = [];
    const request = {
      group: 'django',
      signal: 'SIGUSR2' as const,
      platform: 'linux' as const,
      instance: sandbox.pid,
    };
    const run = signalGroup(createProcessSource(), request, { kill, onEvent: (event) => events.push(event) });
    if (major < 6) {
      await assert.rejects(run, {
        code: 'USAGE',
        message: new RegExp(`^mod_wsgi ${sandbox.wsgiVersion} under`),
      });
      assert.deepEqual(sent, []);
      return;
    }
    const [result, ...rest] = await run;
    assert.deepEqual(rest, []);
    assert.equal(result?.outcome, 'delivered');
    assert.deepEqual(
      result?.members.map((member) => member.state),
      ['alive', 'alive'],
    );
    assert.deepEqual(sent.sort(), (result?.pids ?? []).map((pid) => `${pid} SIGUSR2`).sort());
    assert.deepEqual(
      events.filter((event) => event.type === 'signalled').map((event) => event.signal),
      ['SIGUSR2', 'SIGUSR2'],
    );
  });

  it('refuses (exit 5) when the start line and the module disagree, sending nothing, on every version', async (t) => {
    const sandbox = await useSandbox(t, { groups: [{ name: 'django' }] });
    // A later start line of the same parent that names another mod_wsgi than the module file holds.
    appendFileSync(
      sandbox.errorLog,
      `[Thu Dec 03 09:00:00.000000 2026] [mpm_event:notice] [pid ${sandbox.pid}:tid ${sandbox.pid}] AH00489: Apache/2.4.71 (Debian) mod_wsgi/9.9.9 Python/3.11 configured -- resuming normal operations\n`,
    );
    const { kill, sent } = recordingKill();
    const request = {
      group: 'django',
      signal: 'SIGHUP' as const,
      platform: 'linux' as const,
      instance: sandbox.pid,
    };
    await assert.rejects(signalGroup(createProcessSource(), request, { kill }), {
      code: 'REFUSED',
      message: new RegExp(
        `start line says mod_wsgi 9\\.9\\.9 but its LoadModule wsgi_module file is ${sandbox.wsgiVersion?.replace(/\./g, '\\.')}`,
      ),
    });
    assert.deepEqual(sent, []);
  });

  it('decides from the start line alone once the module file is gone; with neither, refuses (exit 5)', async (t) => {
    const install = findApache();
    assert.ok(install, 'Apache + mod_wsgi is installed');
    const dir = mkdtempSync(join(tmpdir(), 'wsgictl-module-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const module = join(dir, 'mod_wsgi.so');
    copyFileSync(install.wsgiModule, module);
    const sandbox = await useSandbox(t, {
      groups: [{ name: 'django' }],
      install: { ...install, wsgiModule: module },
    });
    const version = sandbox.wsgiVersion ?? '';
    rmSync(module); // Apache runs the module it loaded; its file is gone
    const { kill, sent } = recordingKill();
    const request = {
      group: 'django',
      signal: 'SIGHUP' as const,
      platform: 'linux' as const,
      instance: sandbox.pid,
      dryRun: true,
    };
    const source = createProcessSource();
    if (Number(version.split('.')[0]) >= 6) {
      const [result] = await signalGroup(source, request, { kill });
      assert.deepEqual([result?.wsgiVersion, result?.versionFrom], [version, ['start line']]);
    } else {
      await assert.rejects(signalGroup(source, request, { kill }), {
        code: 'USAGE',
        message: new RegExp(`^mod_wsgi ${version.replace(/\./g, '\\.')} under`),
      });
    }
    truncateSync(sandbox.errorLog, 0); // as if rotated away
    await assert.rejects(signalGroup(source, { ...request, dryRun: false }, { kill }), {
      code: 'REFUSED',
      message: new RegExp(
        `cannot be told \\(its error log holds no start line \\(AH00489\\) of pid ${sandbox.pid}; its module ${module} cannot be read \\(ENOENT\\)\\)`,
      ),
    });
    assert.deepEqual(sent, []);
  });
});

describe('signalGroup on Windows', () => {
  it('refuses (exit 2) before it looks at any process: mod_wsgi has no daemons there', async () => {
    const request = { group: 'django', signal: 'SIGHUP' as const, platform: 'win32' as const };
    await assert.rejects(signalGroup(createProcessSource(), request), {
      code: 'USAGE',
      message: /no daemon processes on Windows/,
    });
  });
});
