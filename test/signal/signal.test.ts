import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createProcessSource } from '../../src/processes/index.js';
import type { Kill } from '../../src/reload/recheck.js';
import type { ReloadEvent } from '../../src/reload/types.js';
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
