// The Windows checks against the real commands; they run only where WSGICTL_WINDOWS_REAL=1 (the
// windows-latest CI job) and skip everywhere else. WSGICTL_HTTPD names the httpd.exe to use.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPsListSource } from '../../src/processes/ps-list.js';
import type { GroupReloadResult } from '../../src/reload/types.js';
import { classifyEventResult, setRestartEvent } from '../../src/windows/event.js';
import { createExecutor } from '../../src/windows/exec.js';
import {
  classifyHttpdRestart,
  classifyNet,
  parseScQcBinary,
  parseScQueryex,
} from '../../src/windows/service.js';
import { runCli } from '../helpers/cli.js';
import { fixture } from './fakes.js';

const real = process.platform === 'win32' && process.env.WSGICTL_WINDOWS_REAL === '1';
const skip = real ? false : 'set WSGICTL_WINDOWS_REAL=1 on Windows to run the real-command checks';
const httpd = process.env.WSGICTL_HTTPD ?? 'httpd.exe';
const NO_SERVICE = 'wsgictl-no-such-service';
const executor = createExecutor();

/** Line ends and the trailing blank lines differ between a console and a pipe; the words must not. */
function normal(text: string): string {
  return text.replace(/\r\n/g, '\n').trim();
}

describe('recorded fixtures against the real commands', { skip }, () => {
  it('sc.exe queryex type= service: the block format the fixture has', async () => {
    const result = await executor.run('sc.exe', ['queryex', 'type=', 'service']);
    assert.equal(result.code, 0, result.stderr);
    const services = parseScQueryex(result.stdout);
    assert.ok(
      services.some((service) => service.state === 'RUNNING' && service.pid > 0),
      result.stdout.slice(0, 600),
    );
    for (const key of [
      'SERVICE_NAME:',
      'DISPLAY_NAME:',
      'TYPE               :',
      'STATE              :',
      'PID                :',
      'FLAGS              :',
    ]) {
      assert.ok(result.stdout.includes(key), `real output lacks ${key}`);
      assert.ok(fixture('sc-queryex-services.txt').includes(key), `fixture lacks ${key}`);
    }
  });

  it('sc.exe qc: BINARY_PATH_NAME as the fixture has it', async () => {
    const result = await executor.run('sc.exe', ['qc', 'EventLog']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(normal(result.stdout), /^\[SC\] QueryServiceConfig SUCCESS\n\nSERVICE_NAME: EventLog\n/);
    assert.match(parseScQcBinary(result.stdout) ?? '', /svchost\.exe$/i);
  });

  it('net.exe stop of no such service: the fixture, word for word, exit 2', async () => {
    const result = await executor.run('net.exe', ['stop', NO_SERVICE]);
    assert.equal(result.code, 2);
    assert.equal(normal(result.stderr + result.stdout), normal(fixture('net-no-service.txt')));
    assert.equal(classifyNet(result, 'x').outcome, 'missing');
  });

  it('powershell.exe and a restart event that does not exist: the fixture, word for word', async () => {
    const attempt = await setRestartEvent(executor, 4_294_967, false);
    assert.equal(attempt.outcome, 'missing', attempt.detail);
    const raw = await executor.run('powershell.exe', [
      '-NoProfile',
      '-NonInteractive',
      '-Command',
      "try { [System.Threading.EventWaitHandle]::OpenExisting('ap4294967_restart', [System.Security.AccessControl.EventWaitHandleRights]::Modify) } catch { $x = $_.Exception; while ($x.InnerException) { $x = $x.InnerException }; [Console]::Error.WriteLine($x.GetType().FullName + ': ' + $x.Message); exit 1 }",
    ]);
    assert.equal(normal(raw.stderr), normal(fixture('powershell-event-missing.txt')));
    assert.equal(classifyEventResult(raw, 'x').outcome, 'missing');
  });

  it('httpd.exe -k restart -n NAME for no such service: AH00436 as the fixture has it', async () => {
    const result = await executor.run(httpd, ['-k', 'restart', '-n', NO_SERVICE]);
    const said = normal(result.stderr + result.stdout);
    assert.ok(
      said.includes(
        normal(fixture('httpd-restart-no-service.txt')).replace('"Apache2.4"', `"${NO_SERVICE}"`),
      ),
      said,
    );
    assert.equal(classifyHttpdRestart(result, 'x').outcome, 'missing');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function childrenOf(pid: number): Promise<number[]> {
  const { processes } = await createPsListSource().list();
  return processes.filter((info) => info.ppid === pid && /^httpd/i.test(info.comm)).map((info) => info.pid);
}

async function waitFor<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('wsgictl reload against a real console Apache', { skip }, () => {
  let apache: ChildProcess | undefined;
  let root = '';
  let pidfile = '';

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'wsgictl-win-'));
    pidfile = join(root, 'httpd.pid').replaceAll('\\', '/');
    const serverRoot = dirname(dirname(httpd)).replaceAll('\\', '/');
    const conf = join(root, 'httpd.conf');
    writeFileSync(
      conf,
      [
        `ServerRoot "${serverRoot}"`,
        `Listen 127.0.0.1:${await freePort()}`,
        'ServerName localhost',
        `DocumentRoot "${root.replaceAll('\\', '/')}"`,
        `PidFile "${pidfile}"`,
        `ErrorLog "${join(root, 'error.log').replaceAll('\\', '/')}"`,
        'ThreadsPerChild 4',
        '',
      ].join('\n'),
    );
    apache = spawn(httpd, ['-f', conf], { stdio: 'ignore', windowsHide: true });
    await waitFor('the pidfile', async () => (existsSync(pidfile) ? true : null));
    await waitFor('the first child', async () =>
      (await childrenOf(apache?.pid ?? 0)).length > 0 ? true : null,
    );
  });

  after(async () => {
    if (apache?.pid) await executor.run('taskkill.exe', ['/PID', String(apache.pid), '/T', '/F']);
    rmSync(root, { recursive: true, force: true });
  });

  it('restarts it by the named event and a new child appears', async () => {
    const parent = Number(readFileSync(pidfile, 'utf8').trim());
    assert.equal(parent, apache?.pid);
    const [oldChild] = await childrenOf(parent);
    const result = await runCli(['reload', '--all', '--json', '--pidfile', pidfile, '--timeout', '60s']);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    // reload --json: one result per group; on Windows the whole Apache restarted, as `restart` says.
    const [report] = JSON.parse(result.stdout) as GroupReloadResult[];
    assert.equal(report?.restart?.method, `event ap${parent}_restart`);
    assert.deepEqual(report?.oldPids, [oldChild]);
    const [newChild] = report?.newPids ?? [];
    assert.ok(newChild !== undefined && newChild !== oldChild, `a new child: ${result.stdout}`);
    assert.ok((await childrenOf(parent)).includes(newChild), 'the new child is a child of the same parent');
  });
});
