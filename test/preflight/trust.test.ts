import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileFacts } from '../../src/apache/binary/run-rules.js';
import { judgePython, type PythonFacts } from '../../src/preflight/trust.js';

function file(uid: number, mode: number): FileFacts {
  return { dev: 1, ino: 2, size: 100, mtimeMs: 0, uid, mode: 0o100000 | mode, isFile: true, isLink: false };
}
function folder(uid: number, mode: number): FileFacts {
  return { dev: 1, ino: 3, size: 4096, mtimeMs: 0, uid, mode: 0o040000 | mode, isFile: false, isLink: false };
}

function facts(change: Partial<PythonFacts> = {}): PythonFacts {
  return {
    path: '/usr/bin/python3',
    real: '/usr/bin/python3.11',
    stat: file(0, 0o755),
    folders: [
      { path: '/', stat: folder(0, 0o755) },
      { path: '/usr', stat: folder(0, 0o755) },
      { path: '/usr/bin', stat: folder(0, 0o755) },
    ],
    stdlib: { path: '/usr/lib/python3.11', stat: folder(0, 0o755) },
    ...change,
  };
}

describe('judgePython', () => {
  it("runs root's own interpreter in root's folders", () => {
    assert.equal(judgePython(facts()), null);
  });

  it('refuses a Python a user owns (a virtualenv copied, not linked, by its owner)', () => {
    assert.match(judgePython(facts({ stat: file(1000, 0o755) })) ?? '', /not owned by root \(uid 1000\)/);
  });

  it('refuses a Python that group or others can write', () => {
    assert.match(
      judgePython(facts({ stat: file(0, 0o775) })) ?? '',
      /writable by group or others \(mode 775\)/,
    );
    assert.match(judgePython(facts({ stat: file(0, 0o757) })) ?? '', /writable by group or others/);
  });

  it('refuses one in a folder a user could swap it in', () => {
    const folders = [
      { path: '/', stat: folder(0, 0o755) },
      { path: '/srv', stat: folder(1000, 0o755) },
      { path: '/srv/py/bin', stat: folder(0, 0o755) },
    ];
    const why = judgePython(facts({ real: '/srv/py/bin/python3.11', folders }));
    assert.match(why ?? '', /folder \/srv is not root's alone \(owner uid 1000/);
    const sticky = [{ path: '/tmp', stat: folder(0, 0o1777) }];
    assert.match(judgePython(facts({ folders: sticky })) ?? '', /\/tmp is not root's alone/);
  });

  it('refuses one whose standard library a user could write (it imports from there before our code runs)', () => {
    const stdlib = { path: '/opt/py/lib/python3.11', stat: folder(1000, 0o755) };
    assert.match(
      judgePython(facts({ stdlib })) ?? '',
      /standard library \/opt\/py\/lib\/python3.11 is not root's/,
    );
    assert.match(judgePython(facts({ stdlib: null })) ?? '', /standard library .* cannot be found/);
    const missing = { path: '/opt/py/lib/python3.11', stat: null };
    assert.match(judgePython(facts({ stdlib: missing })) ?? '', /cannot be read/);
  });

  it('refuses what cannot be opened, or is no regular file', () => {
    assert.match(judgePython(facts({ real: null })) ?? '', /\/usr\/bin\/python3 cannot be opened/);
    assert.match(judgePython(facts({ stat: null })) ?? '', /cannot be opened/);
    assert.match(
      judgePython(facts({ stat: { ...file(0, 0o755), isFile: false } })) ?? '',
      /not a regular file/,
    );
  });
});
