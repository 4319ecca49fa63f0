import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { majorOf, readWsgiVersionBytes } from '../../../src/apache/binary/wsgi-version.js';
import { apacheSkipReason } from '../../helpers/apache.js';

function bytesOf(...parts: string[]): Buffer {
  return Buffer.from(parts.join(''), 'latin1');
}

describe('readWsgiVersionBytes', () => {
  it('reads the version stored right before the banner format', () => {
    assert.equal(
      readWsgiVersionBytes(bytesOf('\0\x7fELF junk\0wsgi_init\0', '6.0.5\0mod_wsgi/%s\0Python/%d.%d\0')),
      '6.0.5',
    );
  });

  it('is undecided without the banner format, or with something that is not a version before it', () => {
    assert.equal(readWsgiVersionBytes(bytesOf('\0libfoo\0', '1.2.3\0')), null);
    assert.equal(readWsgiVersionBytes(bytesOf('\0wsgi_init\0mod_wsgi/%s\0')), null);
    assert.equal(readWsgiVersionBytes(bytesOf('\0', '6.0.5-dev\0mod_wsgi/%s\0')), null);
    assert.equal(readWsgiVersionBytes(bytesOf('mod_wsgi/%s\0')), null);
  });

  it('looks back a bounded distance: a version with no NUL within 32 bytes is not taken', () => {
    assert.equal(readWsgiVersionBytes(bytesOf('\0', 'x'.repeat(40), '6.0.5\0mod_wsgi/%s\0')), null);
  });

  it("reads Debian 12's packaged module as 4.9.4", (t) => {
    const skip = apacheSkipReason();
    if (skip) return t.skip(skip);
    const module = '/usr/lib/apache2/modules/mod_wsgi.so';
    if (!existsSync(module)) throw new Error(`${module} missing: apt-get install libapache2-mod-wsgi-py3`);
    assert.equal(readWsgiVersionBytes(readFileSync(module)), '4.9.4');
  });
});

describe('majorOf', () => {
  it('is the first number', () => {
    assert.equal(majorOf('6.0.5'), 6);
    assert.equal(majorOf('4.9.4'), 4);
  });
});
