import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseBuildBytes } from '../../../src/apache/binary/bytes.js';
import { parseModuleList, parseVersion, readApacheBuild } from '../../../src/apache/binary/read-build.js';
import type { ExecutableFacts } from '../../../src/apache/binary/run-rules.js';

/** Recorded from Debian bookworm's /usr/sbin/apache2 (2.4.71 (Debian), recorded 2026-11-23). */
const DEBIAN_L =
  'Compiled in modules:\n  core.c\n  mod_so.c\n  mod_watchdog.c\n  http_core.c\n  mod_log_config.c\n  mod_logio.c\n  mod_version.c\n  mod_unixd.c\n';
const DEBIAN_V = 'Server version: Apache/2.4.71 (Debian)\nServer built:   2026-11-12T08:58:41\n';
const APACHE2 = '/usr/sbin/apache2';

/** The facts inspectExecutable gives for a process running `path` (pinned = the path itself here). */
function factsOf(path: string, deleted = false): ExecutableFacts {
  const stat = statSync(path);
  return {
    pinned: path,
    path,
    deleted,
    stat: {
      dev: stat.dev,
      ino: stat.ino,
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      uid: stat.uid,
      mode: stat.mode,
      isFile: true,
    },
  };
}

const answering = (calls: string[]) => async (file: string, args: string[]) => {
  calls.push(`${file} ${args.join(' ')}`);
  return args[0] === '-l' ? DEBIAN_L : DEBIAN_V;
};

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

  it('reads the same version and modules out of the real apache2 bytes as -l and -v print', {
    skip: !existsSync(APACHE2) && `no ${APACHE2} here`,
  }, () => {
    const fromBytes = parseBuildBytes(readFileSync(APACHE2));
    const list = parseModuleList(execFileSync(APACHE2, ['-l'], { env: {} }).toString());
    const version = parseVersion(execFileSync(APACHE2, ['-v'], { env: {} }).toString());
    assert.deepEqual([...(fromBytes.modules ?? [])].sort(), [...list].sort());
    assert.equal(fromBytes.version, version);
  });

  it('reads nothing out of a binary that is not Apache', () => {
    assert.deepEqual(parseBuildBytes(readFileSync('/bin/sleep')), { modules: null, version: null });
    const two = Buffer.from('\0Apache/2.4.1\0Apache/2.4.2\0mod_so.c\0');
    assert.deepEqual(parseBuildBytes(two), { modules: null, version: null });
  });

  it('runs a trusted root-owned binary of our namespace once, then answers from the cache', {
    skip: process.geteuid?.() !== 0 && 'needs root (the binary must be root-owned and so must the cache)',
  }, async () => {
    const calls: string[] = [];
    const subject = { executable: factsOf(APACHE2), fileRoot: '', trusted: true };
    const first = await readApacheBuild(subject, { cacheDir: dir, run: answering(calls) });
    const second = await readApacheBuild(subject, { cacheDir: dir, run: answering(calls) });
    assert.deepEqual(calls.sort(), [`${APACHE2} -l`, `${APACHE2} -v`]);
    assert.deepEqual(second, first);
    assert.equal(first.version, '2.4.71');
  });

  it('never runs the binary of an untrusted instance, a container, or a deleted file: reads its bytes', {
    skip: !existsSync(APACHE2) && `no ${APACHE2} here`,
  }, async () => {
    const calls: string[] = [];
    for (const subject of [
      { executable: factsOf(APACHE2), fileRoot: '', trusted: false },
      { executable: factsOf(APACHE2), fileRoot: '/proc/1/root', trusted: true },
      { executable: factsOf(APACHE2, true), fileRoot: '', trusted: true },
    ]) {
      const build = await readApacheBuild(subject, { cacheDir: null, run: answering(calls) });
      assert.equal(build.version, '2.4.71');
      assert.ok(build.modules?.has('mod_version.c'));
    }
    assert.deepEqual(calls, []);
  });

  it('never runs a file a user owns, even a trusted instance in our namespace', async () => {
    const fake = join(dir, 'httpd');
    writeFileSync(fake, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const executable = factsOf(fake);
    executable.stat = executable.stat && { ...executable.stat, uid: 1000 };
    const calls: string[] = [];
    const build = await readApacheBuild(
      { executable, fileRoot: '', trusted: true },
      { cacheDir: null, run: answering(calls) },
    );
    assert.deepEqual(calls, []);
    assert.deepEqual(build, { modules: null, version: null });
  });

  it('reads again when the binary changes (its mtime is part of the key)', async () => {
    const binary = join(dir, 'apache-copy');
    writeFileSync(binary, Buffer.concat([Buffer.from('\0Apache/2.4.9\0mod_so.c\0')]));
    const first = await readApacheBuild(
      { executable: factsOf(binary), fileRoot: '', trusted: false },
      { cacheDir: dir },
    );
    assert.equal(first.version, '2.4.9');
    writeFileSync(binary, Buffer.from('\0Apache/2.4.10\0mod_so.c\0'));
    utimesSync(binary, new Date(), new Date(Date.now() + 60_000));
    const second = await readApacheBuild(
      { executable: factsOf(binary), fileRoot: '', trusted: false },
      { cacheDir: dir },
    );
    assert.equal(second.version, '2.4.10');
  });

  it('gives null fields, never a throw, when the executable is unknown or fails', async () => {
    assert.deepEqual(
      await readApacheBuild({ executable: null, fileRoot: '', trusted: true }, { cacheDir: null }),
      {
        modules: null,
        version: null,
      },
    );
    const gone = { ...factsOf(APACHE2), pinned: '/nonexistent/httpd' };
    assert.deepEqual(
      await readApacheBuild({ executable: gone, fileRoot: '', trusted: false }, { cacheDir: null }),
      {
        modules: null,
        version: null,
      },
    );
  });
});
