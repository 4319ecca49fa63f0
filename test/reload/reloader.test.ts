import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WsgictlError } from '../../src/errors.js';
import { createProcessSource } from '../../src/processes/index.js';
import { PartialReloadError } from '../../src/reload/partial.js';
import { createUnixReloader } from '../../src/reload/reloader.js';
import { apacheSkipReason, useSandbox } from '../helpers/apache.js';
import { psJson } from '../helpers/cli.js';

const skip = apacheSkipReason();

function errno(code: string): Error {
  return Object.assign(new Error(`${code} from the fake kill`), { code });
}

describe('the UNIX reloader', () => {
  it('refuses the Windows-only options (exit 2) before looking at any process', async () => {
    const reloader = createUnixReloader(createProcessSource());
    for (const extra of [
      { service: 'Apache2.4' },
      { pidfile: '/run/apache2/apache2.pid' },
      { allowStopStart: true },
    ]) {
      await assert.rejects(
        reloader.reload({ groups: ['django'], ...extra }),
        (error: unknown) =>
          error instanceof WsgictlError && error.exitCode === 2 && /for Windows/.test(error.message),
      );
    }
  });

  it('refuses a signal that does not restart a daemon, whatever the caller’s types said (exit 2)', async () => {
    const reloader = createUnixReloader(createProcessSource());
    await assert.rejects(
      reloader.reload({ groups: ['django'], signal: 'SIGKILL' as unknown as 'SIGINT' }),
      (error: unknown) =>
        error instanceof WsgictlError &&
        error.exitCode === 2 &&
        /SIGINT.*SIGTERM.*SIGUSR1|INT.*TERM.*USR1/.test(error.message),
    );
  });

  it('a group that fails never hides the others: results and failures together, each errno mapped', {
    skip,
  }, async (t) => {
    const sandbox = await useSandbox(t, {
      argv0: '/usr/sbin/apache2',
      groups: [{ name: 'alpha' }, { name: 'beta' }, { name: 'gamma' }],
    });
    const before = await psJson(sandbox.pid);
    const pidOf = (group: string) => before.find((r) => r.group === group)?.pid;
    const failing = new Map([
      [pidOf('beta'), 'EIO'],
      [pidOf('gamma'), 'EPERM'],
    ]);
    const kill = (pid: number, signal: NodeJS.Signals | 0) => {
      const code = failing.get(pid);
      // Signal 0 (the permission check before anything is sent) passes; the real signal fails.
      if (code && signal !== 0) throw errno(code);
      process.kill(pid, signal);
    };
    const reloader = createUnixReloader(createProcessSource());
    await assert.rejects(
      reloader.reload(
        { groups: ['alpha', 'beta', 'gamma'], instance: sandbox.pid, timeoutMs: 15_000 },
        { kill },
      ),
      (error: unknown) => {
        assert.ok(error instanceof PartialReloadError);
        assert.equal(error.exitCode, 1);
        assert.deepEqual(
          error.results.map((result) => [result.group, result.outcome]),
          [['alpha', 'replaced']],
        );
        const causes = error.failures.map((failure) => [failure.group, (failure.error as WsgictlError).code]);
        assert.deepEqual(causes, [
          ['beta', 'FAILED'],
          ['gamma', 'PERMISSION'],
        ]);
        const first = error.failures[0]?.error as Error;
        assert.equal((first.cause as NodeJS.ErrnoException).code, 'EIO');
        assert.match(
          error.message,
          /^2 of 3 group reloads failed: "beta" .*EIO.*; "gamma" .*refused \(EPERM\): run with sudo/,
        );
        return true;
      },
    );
    const after = await psJson(sandbox.pid);
    assert.notEqual(
      after.find((r) => r.group === 'alpha')?.pid,
      pidOf('alpha'),
      'alpha was reloaded although beta failed after it',
    );
    assert.equal(after.find((r) => r.group === 'beta')?.pid, pidOf('beta'));
  });
});
