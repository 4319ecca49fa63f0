import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  inspectExecutable,
  inspectPath,
  readExecutableBytes,
} from '../../../src/apache/binary/executable.js';
import type { ProcessSource } from '../../../src/processes/types.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'wsgictl-exe-')));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('inspectExecutable', () => {
  it('reads /proc/self/exe: the pinned link, the path and the fstat of the running file', async () => {
    const source = { procRoot: '/proc' } as unknown as ProcessSource;
    const facts = await inspectExecutable(source, process.pid);
    assert.ok(facts);
    assert.equal(facts.pinned, `/proc/${process.pid}/exe`);
    assert.equal(facts.path, realpathSync(process.execPath));
    assert.equal(facts.deleted, false);
    const stat = statSync(process.execPath);
    assert.equal(facts.stat?.ino, stat.ino);
    assert.equal(facts.stat?.dev, stat.dev);
    assert.equal(facts.stat?.isFile, true);
  });

  it('is null for a pid that does not exist under procRoot', async () => {
    const source = { procRoot: dir } as unknown as ProcessSource;
    assert.equal(await inspectExecutable(source, 999_999), null);
  });

  it('says deleted (and cuts " (deleted)") for a process whose file was removed', async () => {
    const copy = join(dir, 'sleeper');
    execFileSync('cp', ['/bin/sleep', copy]);
    const { spawn } = await import('node:child_process');
    const child = spawn(copy, ['30'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      rmSync(copy);
      const facts = await inspectExecutable(
        { procRoot: '/proc' } as unknown as ProcessSource,
        child.pid ?? 0,
      );
      assert.ok(facts);
      assert.equal(facts.deleted, true);
      assert.equal(facts.path, copy);
      assert.equal(facts.stat?.isFile, true, 'the pinned inode is still readable');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('without procRoot, stats the path the process source names', async () => {
    const path = join(dir, 'plain');
    writeFileSync(path, 'x');
    const named = { executable: async () => path } as unknown as ProcessSource;
    const facts = await inspectExecutable(named, 1);
    assert.deepEqual({ ...facts, stat: null }, { pinned: null, path, deleted: false, stat: null });
    assert.equal(facts?.stat?.ino, statSync(path).ino);
    const unknown = { executable: async () => null } as unknown as ProcessSource;
    assert.equal(await inspectExecutable(unknown, 1), null);
    const gone = { executable: async () => join(dir, 'missing') } as unknown as ProcessSource;
    assert.equal((await inspectExecutable(gone, 1))?.stat, null);
  });
});

describe('inspectPath', () => {
  it('stats the path and lstats each folder above it', () => {
    mkdirSync(join(dir, 'bin'));
    const path = join(dir, 'bin', 'httpd');
    writeFileSync(path, 'x');
    chmodSync(path, 0o755);
    const { pathStat, folders } = inspectPath(path);
    assert.equal(pathStat?.ino, statSync(path).ino);
    assert.deepEqual(folders.map((folder) => folder.path).slice(-2), [dir, join(dir, 'bin')]);
    assert.ok(folders.every((folder) => folder.stat !== null && !folder.stat.isFile));
  });

  it('does not follow a final symlink, and marks a symlinked folder as a link', () => {
    symlinkSync(join(dir, 'bin'), join(dir, 'linked'));
    symlinkSync(join(dir, 'bin', 'httpd'), join(dir, 'bin', 'alias'));
    assert.equal(inspectPath(join(dir, 'bin', 'alias')).pathStat, null);
    const { folders } = inspectPath(join(dir, 'linked', 'httpd'));
    assert.equal(folders.at(-1)?.stat?.isLink, true);
    assert.equal(inspectPath(join(dir, 'nowhere', 'httpd')).folders.at(-1)?.stat, null);
  });
});

describe('readExecutableBytes', () => {
  it('reads the whole file, and refuses what is not a regular file', () => {
    const path = join(dir, 'bytes');
    writeFileSync(path, 'Apache/2.4.62\0');
    const facts = { pinned: null, path, deleted: false, stat: null };
    assert.equal(readExecutableBytes(facts)?.toString('latin1'), 'Apache/2.4.62\0');
    assert.equal(readExecutableBytes({ ...facts, path: dir }), null);
    assert.equal(readExecutableBytes({ ...facts, path: join(dir, 'missing') }), null);
  });
});
