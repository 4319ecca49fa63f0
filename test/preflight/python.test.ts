import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { choosePython, findLibpythonVersion, stdlibOf, versionOfBinary } from '../../src/preflight/python.js';

describe('findLibpythonVersion', () => {
  it("reads the version from the module's linked library name", () => {
    const bytes = Buffer.concat([
      Buffer.from([0x7f, 0x45, 0, 1]),
      Buffer.from('\0libpython3.11.so.1.0\0libc.so.6\0'),
    ]);
    assert.equal(findLibpythonVersion(bytes), '3.11');
    assert.equal(findLibpythonVersion(Buffer.from('\0libpython3.9.so.1.0\0')), '3.9');
    assert.equal(findLibpythonVersion(Buffer.from('\0libc.so.6\0')), null);
  });

  it('reads the packaged mod_wsgi of this machine', (t) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync('/usr/lib/apache2/modules/mod_wsgi.so');
    } catch {
      t.skip('no packaged mod_wsgi here');
      return;
    }
    assert.match(findLibpythonVersion(bytes) ?? '', /^3\.\d+$/);
  });
});

describe('choosePython', () => {
  it("takes the group's python-home first, then WSGIPythonHome, then the system's matching libpython", () => {
    assert.deepEqual(choosePython({ groupHome: '/srv/venv', serverHome: '/opt/py', libpython: '3.11' }), {
      candidates: ['/srv/venv/bin/python3.11', '/srv/venv/bin/python3'],
      why: 'python-home=/srv/venv',
    });
    assert.deepEqual(choosePython({ groupHome: null, serverHome: '/opt/py', libpython: null }), {
      candidates: ['/opt/py/bin/python3'],
      why: 'WSGIPythonHome /opt/py',
    });
    assert.deepEqual(choosePython({ groupHome: null, serverHome: null, libpython: '3.12' }), {
      candidates: ['/usr/bin/python3.12', '/usr/bin/python3'],
      why: 'libpython3.12 of the loaded mod_wsgi',
    });
  });

  it('names the version and the standard library of an interpreter', () => {
    assert.equal(versionOfBinary('/usr/bin/python3.11'), '3.11');
    assert.equal(versionOfBinary('/usr/bin/python3'), null);
    assert.equal(stdlibOf('/usr/bin/python3.11', '3.11'), '/usr/lib/python3.11');
  });
});
