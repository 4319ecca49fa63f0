import assert from 'node:assert/strict';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  CACHE_MAX_ENTRIES,
  type CacheEntry,
  chooseCacheDir,
  isPrivateFolder,
  isTrustedCacheFile,
  mergeEntries,
  openCacheDir,
  ROOT_CACHE_DIR,
  readCache,
  writeCache,
} from '../../../src/apache/binary/cache.js';

const ENTRY: CacheEntry = { key: 'run:1:2:3:4', modules: ['core.c'], version: '2.4.71', usedAtMs: 1 };
const euid = process.geteuid?.() ?? 0;

describe('the build cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wsgictl-cache-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("is /run/wsgictl for root whatever HOME says, and none under someone else's HOME", () => {
    const ownerOf = (path: string) => (path === '/home/eve' ? 1001 : path === '/home/me' ? 1000 : null);
    const env = { XDG_CACHE_HOME: '/home/eve/.cache' };
    assert.equal(chooseCacheDir({ euid: 0, env, home: '/home/eve', ownerOf }), ROOT_CACHE_DIR);
    assert.equal(chooseCacheDir({ euid: 1000, env: {}, home: '/home/eve', ownerOf }), null);
    assert.equal(
      chooseCacheDir({ euid: 1000, env: {}, home: '/home/me', ownerOf }),
      '/home/me/.cache/wsgictl',
    );
    assert.equal(chooseCacheDir({ euid: 1000, env, home: '/home/me', ownerOf }), null, 'XDG under eve');
    assert.equal(chooseCacheDir({ euid: 1000, env: {}, home: '', ownerOf }), null);
  });

  it('believes only a private folder and a file of its own', () => {
    assert.ok(isPrivateFolder({ isDirectory: true, uid: 0, mode: 0o40700 }, 0));
    assert.ok(!isPrivateFolder({ isDirectory: true, uid: 0, mode: 0o40755 }, 0));
    assert.ok(!isPrivateFolder({ isDirectory: true, uid: 1001, mode: 0o40700 }, 0));
    assert.ok(!isPrivateFolder({ isDirectory: false, uid: 0, mode: 0o120777 }, 0));
    assert.ok(isTrustedCacheFile({ isFile: true, uid: 0, mode: 0o100600, size: 10 }, 0));
    assert.ok(!isTrustedCacheFile({ isFile: true, uid: 1001, mode: 0o100600, size: 10 }, 0));
    assert.ok(!isTrustedCacheFile({ isFile: true, uid: 0, mode: 0o100666, size: 10 }, 0));
    assert.ok(!isTrustedCacheFile({ isFile: false, uid: 0, mode: 0o10600, size: 0 }, 0), 'a FIFO');
  });

  it('keeps the newest entries only', () => {
    let entries: CacheEntry[] = [];
    for (let i = 0; i < CACHE_MAX_ENTRIES + 10; i++) {
      entries = mergeEntries(entries, { ...ENTRY, key: `k${i}`, usedAtMs: i });
    }
    assert.equal(entries.length, CACHE_MAX_ENTRIES);
    assert.ok(!entries.some((entry) => entry.key === 'k0'), 'the oldest is dropped');
    assert.equal(mergeEntries(entries, { ...ENTRY, key: 'k20', usedAtMs: 999 }).length, CACHE_MAX_ENTRIES);
  });

  it('writes under a fresh name and renames: a planted symlink is replaced, its target untouched', () => {
    const folder = openCacheDir(join(dir, 'own', 'wsgictl'), euid);
    assert.ok(folder);
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'root only\n', { mode: 0o600 });
    symlinkSync(victim, join(folder, 'apache-builds.json'));
    symlinkSync(victim, join(folder, `apache-builds.json.${process.pid}`));
    assert.deepEqual(readCache(folder, euid), [], 'a symlinked cache file is not read');
    writeCache(folder, [ENTRY]);
    assert.equal(readFileSync(victim, 'utf8'), 'root only\n');
    assert.deepEqual(readCache(folder, euid), [ENTRY]);
    assert.equal(readdirSync(folder).filter((name) => name.startsWith('.')).length, 0, 'no temporary left');
  });

  it('refuses a folder others can enter, or a symlink standing for it', () => {
    const open = join(dir, 'open');
    mkdirSync(open, { mode: 0o755 });
    chmodSync(open, 0o755);
    assert.equal(openCacheDir(open, euid), null);
    symlinkSync(dir, join(dir, 'link'));
    assert.equal(openCacheDir(join(dir, 'link'), euid), null);
  });

  it('ignores a cache file another user owns or can write', {
    skip: euid !== 0 && 'chown needs root',
  }, () => {
    const folder = openCacheDir(join(dir, 'foreign', 'wsgictl'), euid);
    assert.ok(folder);
    writeCache(folder, [ENTRY]);
    chownSync(join(folder, 'apache-builds.json'), 65534, 65534);
    assert.deepEqual(readCache(folder, euid), []);
    chownSync(join(folder, 'apache-builds.json'), 0, 0);
    chmodSync(join(folder, 'apache-builds.json'), 0o666);
    assert.deepEqual(readCache(folder, euid), []);
    chmodSync(join(folder, 'apache-builds.json'), 0o600);
    writeFileSync(join(folder, 'apache-builds.json'), '[{"key": 5}]');
    assert.deepEqual(readCache(folder, euid), [], 'malformed entries are dropped');
  });
});
