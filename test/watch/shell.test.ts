import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createShell, shellCommand } from '../../src/watch/shell.js';

describe('shellCommand (the platform handed in)', () => {
  it('POSIX: the text goes to /bin/sh -c whole, in a process group of its own', () => {
    const command = "gunicorn 'app:create()' && echo done | tee log";
    assert.deepEqual(shellCommand(command, 'linux', {}), {
      file: '/bin/sh',
      args: ['-c', command],
      options: { detached: true },
    });
    assert.equal(shellCommand(command, 'darwin', {}).file, '/bin/sh');
  });

  it('Windows: %ComSpec% /d /s /c "TEXT", passed verbatim so cmd.exe sees the quotes it strips', () => {
    const command = 'waitress-serve --port=8080 app:app & echo "done"';
    assert.deepEqual(shellCommand(command, 'win32', { ComSpec: 'C:\\Windows\\system32\\cmd.exe' }), {
      file: 'C:\\Windows\\system32\\cmd.exe',
      args: ['/d', '/s', '/c', `"${command}"`],
      options: { windowsVerbatimArguments: true },
    });
    assert.equal(shellCommand(command, 'win32', {}).file, 'cmd.exe', 'cmd.exe on PATH without ComSpec');
  });
});

describe('createShell', () => {
  it('POSIX: /bin/sh in a process group of its own; Windows: cmd.exe, no process group', () => {
    const posix = createShell('linux');
    assert.equal(posix.processGroup, true);
    assert.deepEqual(posix.command('echo hi', {}), shellCommand('echo hi', 'linux', {}));
    const windows = createShell('win32');
    assert.equal(windows.processGroup, false);
    assert.equal(windows.command('echo hi', { ComSpec: 'C:\\cmd.exe' }).file, 'C:\\cmd.exe');
  });
});
