import assert from 'node:assert/strict';
import { chownSync, existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseModuleList, parseVersion, readApacheBuild } from '../../src/apache/build.js';

/** Recorded from Debian bookworm's /usr/sbin/apache2 (2.4.71 (Debian), recorded 2026-11-23). */
const DEBIAN_L =
  'Compiled in modules:\n  core.c\n  mod_so.c\n  mod_watchdog.c\n  http_core.c\n  mod_log_config.c\n  mod_logio.c\n  mod_version.c\n  mod_unixd.c\n';
const DEBIAN_V = 'Server version: Apache/2.4.71 (Debian)\nServer built:   2026-11-12T08:58:41\n';

describe('asking the Apache binary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wsgictl-build-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('parses -l and -v', () => {
    assert.deepEqual(
      [...parseModuleList(DEBIAN_L)],
      [
        'core.c',
        'mod_so.c',
        'mod_watchdog.c',
        'http_core.c',
        'mod_log_config.c',
        'mod_logio.c',
        'mod_version.c',
        'mod_unixd.c',
      ],
    );
    assert.equal(parseVersion(DEBIAN_V), '2.4.71');
    assert.equal(parseVersion('Server version: Apache/2.4.63-dev (Unix)\nServer built: now\n'), '2.4.63-dev');
    assert.equal(parseVersion('nonsense'), null);
  });

  it('asks once, then answers from the cache while the binary is unchanged', async () => {
    const calls: string[] = [];
    const run = async (_file: string, args: string[]) => {
      calls.push(args.join(' '));
      return args[0] === '-l' ? DEBIAN_L : DEBIAN_V;
    };
    const binary = process.execPath; // any file that exists: its size, mtime and inode are the key
    const first = await readApacheBuild(binary, { cacheDir: dir, run });
    const second = await readApacheBuild(binary, { cacheDir: dir, run });
    assert.deepEqual(calls.sort(), ['-l', '-v']);
    assert.deepEqual(second, first);
    assert.equal(first.version, '2.4.71');
  });

  it('asks again when the binary changes (its mtime is part of the key)', async () => {
    const binary = join(dir, 'httpd');
    writeFileSync(binary, 'not really a binary');
    let asked = 0;
    const run = async (_file: string, args: string[]) => {
      asked++;
      return args[0] === '-l' ? DEBIAN_L : DEBIAN_V;
    };
    await readApacheBuild(binary, { cacheDir: dir, run });
    await readApacheBuild(binary, { cacheDir: dir, run });
    assert.equal(asked, 2, 'the second answer comes from the cache');
    utimesSync(binary, new Date(), new Date(Date.now() + 60_000));
    await readApacheBuild(binary, { cacheDir: dir, run });
    assert.equal(asked, 4);
  });

  it('ignores a cache file another user owns (for real when root can chown it)', {
    skip: process.platform === 'win32' && 'no uids',
  }, async () => {
    const own = mkdtempSync(join(tmpdir(), 'wsgictl-owned-'));
    after(() => rmSync(own, { recursive: true, force: true }));
    const run = async (_file: string, args: string[]) => (args[0] === '-l' ? DEBIAN_L : DEBIAN_V);
    await readApacheBuild(process.execPath, { cacheDir: own, run });
    let asked = 0;
    const counting = async (file: string, args: string[]) => {
      asked++;
      return run(file, args);
    };
    if (process.geteuid?.() === 0) {
      chownSync(join(own, 'apache-builds.json'), 65534, 65534);
      await readApacheBuild(process.execPath, { cacheDir: own, run: counting });
    } else {
      await readApacheBuild(process.execPath, { cacheDir: own, run: counting, uid: 99999 });
    }
    assert.equal(asked, 2);
  });

  it('ignores a cache file owned by someone else', async () => {
    let asked = 0;
    const run = async (_file: string, args: string[]) => {
      asked++;
      return args[0] === '-l' ? DEBIAN_L : DEBIAN_V;
    };
    await readApacheBuild(process.execPath, { cacheDir: dir, run, uid: 99999 });
    assert.equal(asked, 2);
  });

  it('answers, and returns, when the cache folder cannot be made', async () => {
    const run = async (_file: string, args: string[]) => (args[0] === '-l' ? DEBIAN_L : DEBIAN_V);
    for (const cacheDir of ['/dev/null/cache/wsgictl', '/proc/wsgictl-no-cache/wsgictl']) {
      const build = await readApacheBuild(process.execPath, { cacheDir, run });
      assert.equal(build.version, '2.4.71', cacheDir);
    }
  });

  it('gives null fields, never a throw, when the binary is missing or fails', async () => {
    assert.deepEqual(await readApacheBuild('/nonexistent/httpd', { cacheDir: null }), {
      modules: null,
      version: null,
    });
    assert.deepEqual(await readApacheBuild(process.execPath, { cacheDir: null, run: async () => null }), {
      modules: null,
      version: null,
    });
  });

  it('asks the real apache2 when it is installed', {
    skip: !existsSync('/usr/sbin/apache2') && 'no /usr/sbin/apache2 here',
  }, async () => {
    const build = await readApacheBuild('/usr/sbin/apache2', { cacheDir: null });
    assert.ok(
      build.modules?.has('core.c') && build.modules.has('mod_so.c'),
      [...(build.modules ?? [])].join(' '),
    );
    assert.match(build.version ?? '', /^2\.4\.\d+$/);
  });
});
