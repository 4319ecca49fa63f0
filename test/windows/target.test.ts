import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { WsgictlError } from '../../src/errors.js';
import type { ProcessInfo } from '../../src/processes/types.js';
import {
  apachePids,
  chooseInstance,
  findWindowsInstances,
  readPidfile,
  type WindowsInstance,
} from '../../src/windows/target.js';
import { fastlistProcesses } from './fakes.js';

/** A process as fastlist reports it (pid, ppid, executable name), the other fields left empty. */
function proc(pid: number, ppid: number, comm: string): ProcessInfo {
  return {
    pid,
    ppid,
    comm,
    uid: -1,
    user: '',
    startKey: '0',
    startedAt: new Date(0),
    nsPid: pid,
    argv: [comm],
    rssBytes: null,
  };
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: open 'C:/Apache24/logs/httpd.pid'`), { code });
}

/** Asserts a WsgictlError with this code and exit code, whose message matches. */
function isError(code: string, exitCode: number, message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof WsgictlError, String(error));
    assert.equal(error.code, code);
    assert.equal(error.exitCode, exitCode);
    assert.match(error.message, message);
    return true;
  };
}

describe('findWindowsInstances (recorded fastlist tables)', () => {
  it('a console Apache: the httpd.exe started by a shell is the parent, its httpd.exe the child', async () => {
    assert.deepEqual(findWindowsInstances(await fastlistProcesses('fastlist-console-apache.txt')), [
      { parentPid: 5012, children: [6120] },
    ]);
  });

  it('a service Apache: the httpd.exe under services.exe is the parent', async () => {
    assert.deepEqual(findWindowsInstances(await fastlistProcesses('fastlist-service-apache.txt')), [
      { parentPid: 4420, children: [4588] },
    ]);
  });

  it('two Apaches side by side, a parent whose own parent has exited, names in any case', () => {
    const instances = findWindowsInstances([
      proc(640, 560, 'services.exe'),
      proc(4420, 640, 'httpd.exe'),
      proc(4588, 4420, 'httpd.exe'),
      proc(5012, 3300, 'HTTPD.EXE'), // its shell is gone: ppid 3300 is not in the table
      proc(6120, 5012, 'httpd.exe'),
      proc(7000, 5012, 'php-cgi.exe'), // not an httpd child
    ]);
    assert.deepEqual(instances, [
      { parentPid: 4420, children: [4588] },
      { parentPid: 5012, children: [6120] },
    ]);
  });

  it('no httpd.exe: no instance', async () => {
    assert.deepEqual(findWindowsInstances([proc(4, 0, 'System'), proc(6200, 3300, 'node.exe')]), []);
  });
});

describe('apachePids', () => {
  it('every httpd.exe, parents and children, and nothing else', async () => {
    const pids = apachePids(await fastlistProcesses('fastlist-console-apache.txt'));
    assert.deepEqual([...pids].sort(), [5012, 6120]);
  });
});

describe('readPidfile', () => {
  it("reads Apache's PidFile as written (digits, CRLF) from a real file", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'wsgictl-pidfile-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'httpd.pid');
    writeFileSync(path, '5012\r\n');
    assert.equal(await readPidfile(path), 5012);
  });

  it('a pidfile that does not exist: nothing matched (exit 3), says to check Apache or pass --pidfile', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'wsgictl-pidfile-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'missing.pid');
    await assert.rejects(
      readPidfile(path),
      isError(
        'NO_PROCESSES',
        3,
        /^cannot read pidfile .*missing\.pid \(ENOENT\): is Apache running, and is that its PidFile\? Pass --pidfile FILE$/,
      ),
    );
  });

  it('a pidfile this user may not read: permission (exit 4), the errno kept as cause', async () => {
    const denied = errno('EACCES');
    await assert.rejects(
      readPidfile('C:/Apache24/logs/httpd.pid', async () => {
        throw denied;
      }),
      (error: unknown) => {
        isError('PERMISSION', 4, /cannot read pidfile C:\/Apache24\/logs\/httpd\.pid \(EACCES\)/)(error);
        assert.equal((error as Error).cause, denied);
        return true;
      },
    );
    await assert.rejects(
      readPidfile('C:/Apache24/logs/httpd.pid', async () => {
        throw errno('EPERM');
      }),
      isError('PERMISSION', 4, /\(EPERM\)/),
    );
  });

  it('a pidfile that holds no pid is refused before it can reach a command line', async () => {
    for (const text of ['', 'httpd\n', '5012; calc\r\n', '0\n']) {
      await assert.rejects(
        readPidfile('C:/Apache24/logs/httpd.pid', async () => text),
        isError('USAGE', 2, /^pidfile C:\/Apache24\/logs\/httpd\.pid holds ".*", not a process id/),
        JSON.stringify(text),
      );
    }
  });
});

describe('chooseInstance', () => {
  const service: WindowsInstance = { parentPid: 4420, children: [4588] };
  const console_: WindowsInstance = { parentPid: 5012, children: [6120] };

  it('the only Apache running, when none is asked for', () => {
    assert.equal(chooseInstance([console_], undefined), console_);
  });

  it('the one asked for (--instance or the pidfile), among several', () => {
    assert.equal(chooseInstance([service, console_], 5012), console_);
  });

  it('one the process list cannot show (another session) is tried anyway, with no known children', () => {
    assert.deepEqual(chooseInstance([service], 9100), { parentPid: 9100, children: [] });
    assert.deepEqual(chooseInstance([], 9100), { parentPid: 9100, children: [] });
  });

  it('none running: nothing matched (exit 3), says to start it or pass --pidfile', () => {
    assert.throws(
      () => chooseInstance([], undefined),
      isError(
        'NO_PROCESSES',
        3,
        /^no Apache \(httpd\.exe\) is running on this machine: start it, or pass --pidfile FILE/,
      ),
    );
  });

  it('several running and none asked for: usage (exit 2) naming every parent pid and how to choose', () => {
    assert.throws(
      () => chooseInstance([service, console_], undefined),
      isError(
        'USAGE',
        2,
        /^2 Apache instances run \(parent pids 4420, 5012\): choose one with --instance PID or --pidfile FILE$/,
      ),
    );
  });
});
