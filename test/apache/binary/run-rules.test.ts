import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type FileFacts,
  judgeRun,
  listFolders,
  type RunInput,
} from '../../../src/apache/binary/run-rules.js';

function file(overrides: Partial<FileFacts> = {}): FileFacts {
  return {
    dev: 8,
    ino: 100,
    size: 700_000,
    mtimeMs: 1,
    uid: 0,
    mode: 0o100755,
    isFile: true,
    isLink: false,
    ...overrides,
  };
}

function folder(overrides: Partial<FileFacts> = {}): FileFacts {
  return file({ ino: 2, mode: 0o40755, isFile: false, ...overrides });
}

/** A root-owned /usr/sbin/apache2 in our namespace: the one input judgeRun allows. */
function input(overrides: Partial<RunInput> = {}): RunInput {
  return {
    executable: { pinned: '/proc/42/exe', path: '/usr/sbin/apache2', deleted: false, stat: file() },
    fileRoot: '',
    pathStat: file(),
    folders: [
      { path: '/', stat: folder() },
      { path: '/usr', stat: folder() },
      { path: '/usr/sbin', stat: folder() },
    ],
    trusted: true,
    ...overrides,
  };
}

describe('judgeRun', () => {
  it('allows a root-owned file no one else can write, in root-only folders', () => {
    assert.equal(judgeRun(input()), null);
  });

  it('allows a sticky or setuid bit and read bits for others (only write bits count)', () => {
    assert.equal(judgeRun(input({ folders: [{ path: '/', stat: folder({ mode: 0o41755 }) }] })), null);
  });

  it('refuses an untrusted instance first', () => {
    assert.equal(judgeRun(input({ trusted: false, executable: null })), 'the instance is not trusted');
  });

  it('refuses an executable that cannot be opened', () => {
    assert.equal(judgeRun(input({ executable: null })), 'its executable cannot be opened');
    const executable = { pinned: null, path: '/usr/sbin/apache2', deleted: false, stat: null };
    assert.equal(judgeRun(input({ executable })), 'its executable cannot be opened');
  });

  it('refuses another mount namespace', () => {
    assert.equal(
      judgeRun(input({ fileRoot: '/proc/42/root' })),
      'it runs in another mount namespace (a container)',
    );
  });

  it('refuses a deleted executable', () => {
    const executable = { pinned: '/proc/42/exe', path: '/usr/sbin/apache2', deleted: true, stat: file() };
    assert.equal(judgeRun(input({ executable })), 'its executable was deleted or replaced since it started');
  });

  it('refuses what is not a regular file, not root-owned, or writable by group or others', () => {
    const withStat = (stat: FileFacts) =>
      input({ executable: { pinned: null, path: '/usr/sbin/apache2', deleted: false, stat } });
    assert.equal(judgeRun(withStat(file({ isFile: false }))), 'its executable is not a regular file');
    assert.equal(judgeRun(withStat(file({ uid: 1000 }))), 'its executable is not owned by root');
    assert.equal(
      judgeRun(withStat(file({ mode: 0o100775 }))),
      'its executable is writable by group or others',
    );
    assert.equal(
      judgeRun(withStat(file({ mode: 0o100757 }))),
      'its executable is writable by group or others',
    );
  });

  it('refuses when the path now names another inode, or nothing', () => {
    const moved = '/usr/sbin/apache2 is no longer the file the process runs';
    assert.equal(judgeRun(input({ pathStat: null })), moved);
    assert.equal(judgeRun(input({ pathStat: file({ ino: 101 }) })), moved);
    assert.equal(judgeRun(input({ pathStat: file({ dev: 9 }) })), moved);
  });

  it('refuses a folder that is missing, a link, a file, or not root-only', () => {
    const withUsr = (stat: FileFacts | null) =>
      input({
        folders: [
          { path: '/', stat: folder() },
          { path: '/usr', stat },
        ],
      });
    assert.equal(judgeRun(withUsr(null)), '/usr is not a plain folder');
    assert.equal(judgeRun(withUsr(folder({ isLink: true }))), '/usr is not a plain folder');
    assert.equal(judgeRun(withUsr(file())), '/usr is not a plain folder');
    assert.equal(
      judgeRun(withUsr(folder({ uid: 1000 }))),
      "/usr is not root's alone (owner uid 1000, mode 755)",
    );
    assert.equal(
      judgeRun(withUsr(folder({ mode: 0o41777 }))),
      "/usr is not root's alone (owner uid 0, mode 1777)",
    );
  });
});

describe('listFolders', () => {
  it('lists every folder above a path, outermost first', () => {
    assert.deepEqual(listFolders('/usr/sbin/apache2'), ['/', '/usr', '/usr/sbin']);
    assert.deepEqual(listFolders('/apache2'), ['/']);
    assert.deepEqual(listFolders('//opt//httpd/bin/httpd'), ['/', '/opt', '/opt/httpd', '/opt/httpd/bin']);
  });
});
