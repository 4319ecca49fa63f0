import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ExecutableFacts,
  type FileFacts,
  judgeRun,
  listFolders,
} from '../../src/apache/binary/run-rules.js';
import { judgeTrust } from '../../src/groups/trust.js';

const FILE: FileFacts = { dev: 1, ino: 2, size: 3, mtimeMs: 4, uid: 0, mode: 0o100755, isFile: true };
const FOLDER: FileFacts = { ...FILE, mode: 0o40755, isFile: false, isLink: false };
const EXE: ExecutableFacts = { pinned: '/proc/9/exe', path: '/usr/sbin/apache2', deleted: false, stat: FILE };
const FOLDERS = listFolders('/usr/sbin/apache2').map((path) => ({ path, stat: FOLDER }));
const RUNNABLE = { executable: EXE, fileRoot: '', pathStat: FILE, folders: FOLDERS, trusted: true };

describe('the trust model', () => {
  it('trusts root and the caller, with an executable only they can write', () => {
    assert.equal(judgeTrust({ parentUid: 0, parentUser: 'root', euid: 0, executable: EXE }), null);
    assert.equal(judgeTrust({ parentUid: 1000, parentUser: 'me', euid: 1000, executable: EXE }), null);
    assert.equal(judgeTrust({ parentUid: 0, parentUser: 'root', euid: 1000, executable: null }), null);
    assert.equal(
      judgeTrust({ parentUid: 5, parentUser: 'x', euid: null, executable: null }),
      null,
      'Windows',
    );
  });

  it('distrusts another user, or a file another user owns or anyone may write', () => {
    assert.match(
      judgeTrust({ parentUid: 1001, parentUser: 'eve', euid: 0, executable: EXE }) ?? '',
      /^runs as eve \(uid 1001\), not as root or as you$/,
    );
    const owned = { ...EXE, stat: { ...FILE, uid: 1001 } };
    assert.match(
      judgeTrust({ parentUid: 0, parentUser: 'root', euid: 0, executable: owned }) ?? '',
      /owned by/,
    );
    const writable = { ...EXE, stat: { ...FILE, mode: 0o100777 } };
    assert.match(
      judgeTrust({ parentUid: 0, parentUser: 'root', euid: 0, executable: writable }) ?? '',
      /writable by group or others \(mode 777\)/,
    );
  });

  it('runs only root-owned files in root-owned folders, in our namespace, the very inode', () => {
    assert.equal(judgeRun(RUNNABLE), null);
    const refusals: [string, object][] = [
      ['not trusted', { trusted: false }],
      ['another mount namespace', { fileRoot: '/proc/9/root' }],
      ['deleted', { executable: { ...EXE, deleted: true } }],
      ['not owned by root', { executable: { ...EXE, stat: { ...FILE, uid: 1000 } } }],
      ['writable by group', { executable: { ...EXE, stat: { ...FILE, mode: 0o100775 } } }],
      ['no longer the file', { pathStat: { ...FILE, ino: 99 } }],
      ['no longer the file', { pathStat: null }],
      ['cannot be opened', { executable: { ...EXE, stat: null } }],
      [
        "not root's alone",
        { folders: [...FOLDERS.slice(0, 2), { path: '/usr/sbin', stat: { ...FOLDER, uid: 1000 } }] },
      ],
      ["not root's alone", { folders: [{ path: '/', stat: { ...FOLDER, mode: 0o41777 } }] }],
      ['not a plain folder', { folders: [{ path: '/usr', stat: { ...FOLDER, isLink: true } }] }],
    ];
    for (const [reason, change] of refusals) {
      assert.match(judgeRun({ ...RUNNABLE, ...change }) ?? 'ran', new RegExp(reason), JSON.stringify(change));
    }
  });

  it('lists every folder above a path', () => {
    assert.deepEqual(listFolders('/usr/sbin/apache2'), ['/', '/usr', '/usr/sbin']);
  });
});
