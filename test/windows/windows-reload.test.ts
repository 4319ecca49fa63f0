import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PLAIN } from '../../src/cli/color.js';
import type { CliContext } from '../../src/cli/context.js';
import { runWindowsReload, type WindowsReloadOptions } from '../../src/cli/windows-reload.js';
import { WsgictlError } from '../../src/errors.js';
import { createPsListSource } from '../../src/processes/ps-list.js';
import type { Executor } from '../../src/windows/exec.js';
import {
  fail,
  fakeClock,
  fakeExecutor,
  fastlistDescriptors,
  fixture,
  isCommand,
  isEvent,
  ok,
} from './fakes.js';

/** A context whose process list switches to `after` once `restarted()` is called. */
function context(before: string, after: string) {
  let table = before;
  const out: string[] = [];
  const ctx: CliContext = {
    out: (text) => out.push(text),
    err: () => {},
    env: {},
    color: PLAIN,
    errColor: PLAIN,
    source: () => createPsListSource(async () => fastlistDescriptors(fixture(table))),
    setExitCode: () => {},
    stopSignal: () => new Promise(() => {}),
  };
  return { ctx, out, restarted: () => (table = after) };
}

const base: WindowsReloadOptions = { groups: [], timeoutMs: 5000, json: false, dryRun: false };

describe('runWindowsReload', () => {
  it('finds the service Apache, restarts it by its event and says so (exit 0)', async () => {
    const c = context('fastlist-service-apache.txt', 'fastlist-service-apache-restarted.txt');
    const executor = fakeExecutor(
      [
        [isCommand('sc.exe', 'queryex'), ok(fixture('sc-queryex-services.txt'))],
        [isEvent('ap4420_restart'), ok()],
      ],
      (call) => {
        if (call.file === 'powershell.exe') c.restarted();
      },
    );
    const code = await runWindowsReload({ ...base, groups: ['django'] }, c.ctx, {
      executor,
      clock: fakeClock(),
    });
    assert.equal(code, 0);
    const text = c.out.join('');
    assert.match(text, /note: mod_wsgi has no daemon mode on Windows: django restarts with the whole Apache/);
    assert.match(
      text,
      /Apache pid 4420 \(service Apache2\.4\): restarted by event ap4420_restart; child 4588 -> 7311/,
    );
  });

  it('takes the parent pid from --pidfile', async () => {
    const c = context('fastlist-service-apache.txt', 'fastlist-service-apache-restarted.txt');
    const executor = fakeExecutor([[isEvent('ap4420_restart'), ok()]], () => c.restarted());
    const code = await runWindowsReload(
      { ...base, pidfile: 'C:/Apache24/logs/httpd.pid', service: 'Apache2.4', json: true },
      c.ctx,
      { executor, clock: fakeClock(), readText: async () => '4420\r\n' },
    );
    assert.equal(code, 0);
    const result = JSON.parse(c.out.join('')) as { method: string; newChild: number };
    assert.deepEqual([result.method, result.newChild], ['event ap4420_restart', 7311]);
  });

  it('refuses a pidfile that holds anything but digits before running anything', async () => {
    const c = context('fastlist-service-apache.txt', 'fastlist-service-apache.txt');
    const executor = fakeExecutor([]);
    await assert.rejects(
      runWindowsReload({ ...base, pidfile: 'x.pid' }, c.ctx, {
        executor,
        readText: async () => '4420 & calc',
      }),
      (error: unknown) => error instanceof WsgictlError && error.exitCode === 2,
    );
    assert.equal(executor.calls.length, 0);
  });

  it('refuses a service name that could inject, before running anything (exit 2)', async () => {
    const c = context('fastlist-service-apache.txt', 'fastlist-service-apache.txt');
    const executor: Executor & { calls: unknown[] } = fakeExecutor([]);
    await assert.rejects(
      runWindowsReload({ ...base, service: 'Apache2.4" & calc.exe & "' }, c.ctx, { executor }),
      (error: unknown) => error instanceof WsgictlError && error.exitCode === 2,
    );
    assert.equal(executor.calls.length, 0);
  });

  it('nothing worked: exit 1 with one line listing every step and what to do', async () => {
    const c = context('fastlist-console-apache.txt', 'fastlist-console-apache.txt');
    const executor = fakeExecutor([
      [isCommand('sc.exe', 'queryex'), ok(fixture('sc-queryex-services.txt'))],
      [isEvent('ap5012_restart'), fail(1, fixture('powershell-event-denied.txt'))],
    ]);
    await assert.rejects(
      runWindowsReload(base, c.ctx, { executor, clock: fakeClock() }),
      (error: unknown) => {
        assert.ok(error instanceof WsgictlError);
        assert.equal(error.exitCode, 1);
        assert.doesNotMatch(error.message, /\n/);
        assert.match(error.message, /^could not restart Apache pid 5012; tried event ap5012_restart: denied/);
        assert.match(error.message, /service restart: skipped \(pid 5012 is not a service's process/);
        assert.match(error.message, /run wsgictl from an elevated prompt/);
        return true;
      },
    );
  });

  it('no Apache at all: exit 3 and what to do', async () => {
    const c = context('fastlist-service-apache.txt', 'fastlist-service-apache.txt');
    c.ctx.source = () => createPsListSource(async () => []);
    await assert.rejects(
      runWindowsReload(base, c.ctx, {
        executor: fakeExecutor([]),
        readText: async () => {
          throw Object.assign(new Error('no'), { code: 'ENOENT' });
        },
      }),
      (error: unknown) =>
        error instanceof WsgictlError && error.exitCode === 3 && /--pidfile/.test(error.message),
    );
  });

  it('dry run prints the steps it would try and runs only the service lookup', async () => {
    const c = context('fastlist-service-apache.txt', 'fastlist-service-apache.txt');
    const executor = fakeExecutor([[isCommand('sc.exe', 'queryex'), ok(fixture('sc-queryex-services.txt'))]]);
    const code = await runWindowsReload({ ...base, dryRun: true }, c.ctx, { executor });
    assert.equal(code, 0);
    assert.match(
      c.out.join(''),
      /would try, in order \(dry run, nothing sent\):\n {2}event ap4420_restart\n {2}event Global\\ap4420_restart\n/,
    );
    assert.equal(executor.calls.length, 1);
  });
});
