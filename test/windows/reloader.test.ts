import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../src/cli.js';
import { WsgictlError } from '../../src/errors.js';
import { createPlatform } from '../../src/platform.js';
import { createPsListSource } from '../../src/processes/ps-list.js';
import type { ProcessSource } from '../../src/processes/types.js';
import type { Executor } from '../../src/windows/exec.js';
import { createWindowsReloader, type WindowsReloaderDeps } from '../../src/windows/reloader.js';
import { waitFor } from '../helpers/apache.js';
import { recordingContext } from '../helpers/context.js';
import {
  type Call,
  fail,
  fakeClock,
  fakeExecutor,
  fastlistDescriptors,
  fixture,
  isCommand,
  isCommandLineQuery,
  isEvent,
  ok,
  windowsFiles,
} from './fakes.js';

/** A process list, recorded on Windows, that switches to `after` once `restarted()` is called. */
function recordedSource(before: string, after: string): { source: ProcessSource; restarted: () => void } {
  let table = before;
  return {
    source: createPsListSource(async () => fastlistDescriptors(fixture(table))),
    restarted: () => {
      table = after;
    },
  };
}

/** The service Apache (pid 4420) whose restart event works and brings child 7311. */
function serviceApache(): WindowsReloaderDeps & { executor: Executor & { calls: Call[] } } {
  const { source, restarted } = recordedSource(
    'fastlist-service-apache.txt',
    'fastlist-service-apache-restarted.txt',
  );
  const executor = fakeExecutor(
    [
      [isCommand('sc.exe', 'queryex'), ok(fixture('sc-queryex-services.txt'))],
      [isCommandLineQuery(4420), ok(fixture('win32-process-parent-service.json'))],
      [isEvent('ap4420_restart'), ok()],
    ],
    (call) => {
      if (isEvent('ap4420_restart')(call)) restarted();
    },
  );
  return { source, executor, clock: fakeClock(), files: SERVICE_FILES };
}

/** The service's httpd.exe runs from C:\Program Files\Apache24\bin: its ServerRoot is the folder above. */
const SERVICE_FILES = windowsFiles({ 'C:/Program Files/Apache24/conf/httpd.conf': fixture('httpd.conf') });

const BASE = { groups: ['django'], timeoutMs: 5000 };

describe('the Windows reloader', () => {
  it('restarts the service Apache by its event and answers in the shape of every reload result', async () => {
    const [result, ...more] = await createWindowsReloader(serviceApache()).reload(BASE);
    assert.equal(more.length, 0);
    assert.deepEqual(
      [result?.group, result?.instance, result?.signal, result?.outcome, result?.oldPids, result?.newPids],
      ['django', 4420, 'apache-restart', 'replaced', [4588], [7311]],
    );
    assert.deepEqual(result?.members, [{ pid: 4588, state: 'replaced', newPid: 7311 }]);
    assert.deepEqual(
      [result?.restart?.method, result?.restart?.service],
      ['event ap4420_restart', 'Apache2.4'],
    );
  });

  it('refuses, before running anything, what only daemon mode can do (exit 2), naming each option', async () => {
    for (const [extra, option] of [
      [{ rolling: true }, '--rolling'],
      [{ signal: 'SIGUSR1' as const }, '--signal/--graceful'],
      [{ wait: false }, '--no-wait'],
      [{ url: 'http://localhost/' }, '--url'],
      [{ trustConfig: true }, '--trust-config'],
    ] as const) {
      const deps = serviceApache();
      await assert.rejects(createWindowsReloader(deps).reload({ ...BASE, ...extra }), (error: unknown) => {
        assert.ok(error instanceof WsgictlError);
        assert.equal(error.exitCode, 2);
        assert.match(
          error.message,
          new RegExp(`^${option.replace(/[/-]/g, '\\$&')} cannot be honoured on Windows`),
        );
        return true;
      });
      assert.equal(deps.executor.calls.length, 0, option);
    }
  });

  it('takes the parent pid from a pidfile, and refuses one that holds anything but digits', async () => {
    const deps = serviceApache();
    const [result] = await createWindowsReloader({ ...deps, readText: async () => '4420\r\n' }).reload({
      ...BASE,
      pidfile: 'C:/Apache24/logs/httpd.pid',
      service: 'Apache2.4',
    });
    assert.equal(result?.newPids[0], 7311);
    const bad = serviceApache();
    await assert.rejects(
      createWindowsReloader({ ...bad, readText: async () => '4420 & calc' }).reload({
        ...BASE,
        pidfile: 'x.pid',
      }),
      (error: unknown) => error instanceof WsgictlError && error.exitCode === 2,
    );
    assert.equal(bad.executor.calls.length, 0);
  });

  it('refuses a service name that could inject, before running anything (exit 2)', async () => {
    const deps = serviceApache();
    await assert.rejects(
      createWindowsReloader(deps).reload({ ...BASE, service: 'Apache2.4" & calc.exe & "' }),
      (error: unknown) => error instanceof WsgictlError && error.exitCode === 2,
    );
    assert.equal(deps.executor.calls.length, 0);
  });

  it('nothing worked: exit 1 with one line listing every step and what to do', async () => {
    const { source } = recordedSource('fastlist-console-apache.txt', 'fastlist-console-apache.txt');
    const executor = fakeExecutor([
      [isCommand('sc.exe', 'queryex'), ok(fixture('sc-queryex-services.txt'))],
      [isCommandLineQuery(5012), ok(fixture('win32-process-parent-console.json'))],
      [(call) => call.file === 'powershell.exe', fail(1, fixture('powershell-event-denied.txt'))],
    ]);
    const files = windowsFiles({ 'C:/Apache24/conf/httpd.conf': fixture('httpd.conf') });
    await assert.rejects(
      createWindowsReloader({ source, executor, clock: fakeClock(), files }).reload(BASE),
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
    const reloader = createWindowsReloader({
      source: createPsListSource(async () => []),
      executor: fakeExecutor([]),
      readText: async () => {
        throw Object.assign(new Error('no'), { code: 'ENOENT' });
      },
    });
    await assert.rejects(
      reloader.reload(BASE),
      (error: unknown) =>
        error instanceof WsgictlError && error.exitCode === 3 && /--pidfile/.test(error.message),
    );
  });

  it('a dry run lists the steps it would try and runs only the service lookup', async () => {
    const deps = serviceApache();
    const [result] = await createWindowsReloader(deps).reload({ ...BASE, dryRun: true });
    assert.equal(result?.outcome, 'dry-run');
    assert.deepEqual(result?.restart?.attempts.map((attempt) => attempt.step).slice(0, 2), [
      'event ap4420_restart',
      'event Global\\ap4420_restart',
    ]);
    assert.equal(deps.executor.calls.length, 2, 'the command line and sc queryex');
  });
});

describe('the Windows reloader: issue 15', () => {
  it('a group that names no application of the configuration is exit 3, and Apache is not touched', async () => {
    const deps = serviceApache();
    await assert.rejects(
      createWindowsReloader(deps).reload({ ...BASE, groups: ['djang'] }),
      (error: unknown) => {
        assert.ok(error instanceof WsgictlError);
        assert.equal(error.exitCode, 3);
        assert.match(
          error.message,
          /^no WSGI application "djang" in C:\/Program Files\/Apache24\/conf\/httpd\.conf/,
        );
        return true;
      },
    );
    assert.ok(!deps.executor.calls.some((call) => isEvent('ap4420_restart')(call)), 'no restart');
  });

  it('--all restarts the whole Apache without reading its configuration', async () => {
    const deps = serviceApache();
    const [result] = await createWindowsReloader(deps).reload({ groups: [], all: true, timeoutMs: 5000 });
    assert.deepEqual([result?.group, result?.outcome], ['*', 'replaced']);
    assert.ok(!deps.executor.calls.some((call) => isCommandLineQuery(4420)(call)));
  });

  it('--touch SCRIPT touches that WSGI script (reloaded in place on its next request) and restarts nothing', async () => {
    const deps = serviceApache();
    const touched: string[] = [];
    const [result] = await createWindowsReloader({ ...deps, touch: (path) => touched.push(path) }).reload({
      groups: [],
      touch: 'C:\\sites\\api\\app.wsgi',
      timeoutMs: 5000,
    });
    assert.deepEqual(touched, ['C:\\sites\\api\\app.wsgi']);
    assert.deepEqual([result?.signal, result?.outcome, result?.group], ['touch', 'touched', '/api']);
    assert.ok(!deps.executor.calls.some((call) => isEvent('ap4420_restart')(call)), 'no restart');
    await assert.rejects(
      createWindowsReloader(serviceApache()).reload({ groups: [], touch: 'C:/sites/nope.wsgi' }),
      (error: unknown) => error instanceof WsgictlError && error.exitCode === 3,
    );
  });

  it('an option that makes no sense there is one line saying what to use instead', async () => {
    await assert.rejects(
      createWindowsReloader(serviceApache()).reload({ ...BASE, wait: false }),
      /^WsgictlError: --no-wait cannot be honoured on Windows: .*bound the wait with --timeout DURATION instead$/,
    );
  });
});

/** A CLI context for Windows whose outside world is recorded: no process of this machine is read or signalled. */
function windowsContext(deps: WindowsReloaderDeps, stop: Promise<'SIGINT' | 'SIGTERM'>) {
  return recordingContext({
    platform: {
      ...createPlatform('win32'),
      source: deps.source,
      reloader: createWindowsReloader(deps),
      services: async () => new Map([[4420, 'Apache2.4']]),
    },
    stopSignal: () => stop,
  });
}

describe('wsgictl on Windows, through the same Reloader as everywhere', () => {
  it('reload prints what happened; an option it cannot honour is exit 2', async () => {
    const c = windowsContext(serviceApache(), new Promise(() => {}));
    assert.equal(await main(['node', 'wsgictl', 'reload', 'django'], c.context), 0);
    assert.match(
      c.out.join(''),
      /django: mod_wsgi has no daemon mode on Windows, so the whole Apache restarts/,
    );
    assert.match(
      c.out.join(''),
      /Apache pid 4420 \(service Apache2\.4\): restarted by event ap4420_restart; child 4588 -> 7311/,
    );
    const refused = windowsContext(serviceApache(), new Promise(() => {}));
    assert.equal(await main(['node', 'wsgictl', 'reload', 'django', '--rolling'], refused.context), 2);
    assert.match(refused.err.join(''), /^wsgictl: --rolling cannot be honoured on Windows/);
  });

  it('watch --json writes one JSON object per line for a reload', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'wsgictl-winwatch-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    let stop: (signal: 'SIGINT') => void = () => {};
    const c = windowsContext(serviceApache(), new Promise((resolve) => (stop = resolve)));
    const running = main(
      ['node', 'wsgictl', 'watch', dir, '--group', 'django', '--json', '--debounce', '50ms'],
      c.context,
    );
    await waitFor('watch to be ready', () => c.out.join('').includes('"event":"ready"'));
    writeFileSync(join(dir, 'views.py'), 'x = 1\n');
    await waitFor('the reload line', () => c.out.join('').includes('"event":"reload"'), 15_000);
    stop('SIGINT');
    assert.equal(await running, 130);
    const lines = c.out.join('').trimEnd().split('\n');
    const events = lines.map(
      (line) => JSON.parse(line) as { event: string; signal?: string; newPids?: number[] },
    );
    const reload = events.find((event) => event.event === 'reload');
    assert.deepEqual([reload?.signal, reload?.newPids], ['apache-restart', [7311]]);
  });
});
