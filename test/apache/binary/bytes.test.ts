import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseBuildBytes } from '../../../src/apache/binary/bytes.js';

const APACHE2 = '/usr/sbin/apache2';

/** A stand-in for a binary's data section: NUL-ended C strings amid other bytes. */
function binaryOf(...strings: string[]): Buffer {
  return Buffer.concat([
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01]),
    ...strings.map((s) => Buffer.from(`${s}\0`, 'latin1')),
  ]);
}

describe('parseBuildBytes', () => {
  it('reads the version from "Apache/2.4.62 (Debian)" and the mod_*.c and MPM names', () => {
    const build = parseBuildBytes(
      binaryOf('Apache/2.4.62 (Debian)', 'mod_so.c', 'core.c', 'mod_version.c', 'event.c', 'mod_unixd.c'),
    );
    assert.equal(build.version, '2.4.62');
    assert.deepEqual([...(build.modules ?? [])].sort(), [
      'core.c',
      'event.c',
      'http_core.c',
      'mod_so.c',
      'mod_unixd.c',
      'mod_version.c',
    ]);
  });

  it('counts core.c, http_core.c and mod_so.c as always compiled in', () => {
    const build = parseBuildBytes(binaryOf('Apache/2.4.62'));
    assert.equal(build.version, '2.4.62');
    assert.deepEqual([...(build.modules ?? [])].sort(), ['core.c', 'http_core.c', 'mod_so.c']);
  });

  it('leaves out other .c files, names that are the tail of a longer word, and names not NUL-ended', () => {
    const build = parseBuildBytes(
      binaryOf(
        'Apache/2.4.62 (Debian)',
        'util.c',
        'mpm_winnt.c',
        'xmod_foo.c',
        '/src/mod_path.c',
        'mod_nonul.c tail',
      ),
    );
    assert.deepEqual([...(build.modules ?? [])].sort(), ['core.c', 'http_core.c', 'mod_so.c']);
  });

  it('keeps a version suffix such as -dev', () => {
    assert.equal(parseBuildBytes(binaryOf('Apache/2.5.1-dev')).version, '2.5.1-dev');
  });

  it('is undecided (null fields) without a version string or with two different ones', () => {
    assert.deepEqual(parseBuildBytes(binaryOf('mod_so.c', 'mod_version.c')), {
      modules: null,
      version: null,
    });
    assert.deepEqual(parseBuildBytes(binaryOf('Apache/2.4.62 (Debian)', 'Apache/2.4.63')), {
      modules: null,
      version: null,
    });
  });

  it('accepts the same version written twice', () => {
    assert.equal(parseBuildBytes(binaryOf('Apache/2.4.62', 'Apache/2.4.62 (Debian)')).version, '2.4.62');
  });

  it('agrees with `apache2 -v` and covers every module of `apache2 -l` on this machine', {
    skip: existsSync(APACHE2) ? false : `${APACHE2} is not installed`,
  }, () => {
    const build = parseBuildBytes(readFileSync(APACHE2));
    const version = /Apache\/(\S+)/.exec(execFileSync(APACHE2, ['-v'], { encoding: 'utf8' }))?.[1];
    assert.equal(build.version, version);
    const listed = execFileSync(APACHE2, ['-l'], { encoding: 'utf8' })
      .split('\n')
      .slice(1)
      .map((line) => line.trim())
      .filter((line) => line !== '');
    assert.ok(listed.length > 3);
    for (const name of listed) assert.ok(build.modules?.has(name), `${name} from apache2 -l`);
  });
});
