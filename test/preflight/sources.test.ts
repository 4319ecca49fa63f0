import assert from 'node:assert/strict';
import { posix } from 'node:path';
import { describe, it } from 'node:test';
import { MAX_CHANGED_FILES, type SourceFs, selectSources } from '../../src/preflight/sources.js';

/** A file system from a list: `path` -> mtime for files, `dir/` for folders, `link -> target`. */
function fakeFs(entries: Record<string, number | 'dir' | { link: string }>): SourceFs {
  let ino = 0;
  const ids = new Map<string, string>();
  const idOf = (path: string) => {
    if (!ids.has(path)) ids.set(path, `1:${++ino}`);
    return ids.get(path) as string;
  };
  // A link among the folders of a path is followed, as the kernel does; only the last one is up to lstat.
  const resolve = (path: string): string => {
    for (const [from, entry] of Object.entries(entries)) {
      if (typeof entry === 'object' && path.startsWith(`${from}/`))
        return resolve(entry.link + path.slice(from.length));
    }
    return path;
  };
  const facts = (given: string, follow: boolean): ReturnType<SourceFs['stat']> => {
    const path = resolve(given);
    const entry = entries[path];
    if (entry === undefined) return null;
    if (typeof entry === 'object') {
      if (!follow) return { isDirectory: false, isFile: false, isLink: true, mtimeMs: 0, id: idOf(path) };
      return facts(entry.link, true);
    }
    const dir = entry === 'dir';
    return { isDirectory: dir, isFile: !dir, isLink: false, mtimeMs: dir ? 0 : entry, id: idOf(path) };
  };
  return {
    stat: (path) => facts(path, true),
    lstat: (path) => facts(path, false),
    list: (given) => {
      const path = resolve(given);
      const entry = entries[path];
      const dir = typeof entry === 'object' ? entry.link : path;
      if (entries[dir] !== 'dir') return null;
      return Object.keys(entries)
        .filter((each) => each !== dir && posix.dirname(each) === dir)
        .map((each) => posix.basename(each));
    },
    now: () => 0,
  };
}

const SINCE = 1000;

describe('selectSources', () => {
  it('takes every script, and the .py files changed since the oldest daemon started', () => {
    const fs = fakeFs({
      '/srv/app': 'dir',
      '/srv/app/app.wsgi': 10,
      '/srv/app/old.py': 500,
      '/srv/app/new.py': 2000,
      '/srv/app/notes.txt': 2000,
      '/srv/lib': 'dir',
      '/srv/lib/pkg': 'dir',
      '/srv/lib/pkg/deep.py': 3000,
    });
    const selection = selectSources(
      fs,
      { scripts: ['/srv/app/app.wsgi'], folders: ['/srv/lib', '/srv/app'] },
      SINCE,
    );
    assert.deepEqual(selection.files, ['/srv/app/app.wsgi', '/srv/lib/pkg/deep.py', '/srv/app/new.py']);
    assert.equal(selection.seen, 3);
    assert.deepEqual(selection.notes, []);
  });

  it('skips virtualenvs, site-packages, caches, version control and the watch ignores', () => {
    const fs = fakeFs({
      '/srv/app': 'dir',
      '/srv/app/env': 'dir',
      '/srv/app/env/pyvenv.cfg': 10,
      '/srv/app/env/lib.py': 2000,
      '/srv/app/venv': 'dir',
      '/srv/app/venv/x.py': 2000,
      '/srv/app/vendor': 'dir',
      '/srv/app/vendor/site-packages': 'dir',
      '/srv/app/vendor/site-packages/dep.py': 2000,
      '/srv/app/vendor/dist-packages': 'dir',
      '/srv/app/vendor/dist-packages/dep.py': 2000,
      '/srv/app/__pycache__': 'dir',
      '/srv/app/__pycache__/a.py': 2000,
      '/srv/app/.git': 'dir',
      '/srv/app/.git/hook.py': 2000,
      '/srv/app/.#lock.py': 2000,
      '/srv/app/kept.py': 2000,
    });
    const selection = selectSources(fs, { scripts: [], folders: ['/srv/app'] }, SINCE);
    assert.deepEqual(selection.files, ['/srv/app/kept.py']);
  });

  it('follows a root that is a link (current -> releases/N) but no folder link inside it, and walks a folder once', () => {
    const fs = fakeFs({
      '/srv/current': { link: '/srv/releases/2' },
      '/srv/releases': 'dir',
      '/srv/releases/2': 'dir',
      '/srv/releases/2/app.py': 2000,
      '/srv/releases/2/loop': { link: '/srv/releases' },
      '/srv/releases/2/shared.py': { link: '/srv/shared.py' },
      '/srv/shared.py': 5000,
    });
    const selection = selectSources(fs, { scripts: [], folders: ['/srv/current', '/srv/releases/2'] }, SINCE);
    assert.deepEqual(selection.files, ['/srv/current/app.py', '/srv/current/shared.py']);
  });

  it('says which roots it could not read', () => {
    const fs = fakeFs({ '/srv/file.py': 2000 });
    const selection = selectSources(fs, { scripts: [], folders: ['/srv/missing', '/srv/file.py'] }, SINCE);
    assert.deepEqual(selection.notes, [
      '/srv/missing is not a folder; nothing under it was checked',
      '/srv/file.py is not a folder; nothing under it was checked',
    ]);
  });

  it('stops at its bound of changed files and says so', () => {
    const entries: Record<string, number | 'dir'> = { '/srv/big': 'dir' };
    for (let i = 0; i < MAX_CHANGED_FILES + 5; i++)
      entries[`/srv/big/m${String(i).padStart(5, '0')}.py`] = 2000;
    const selection = selectSources(
      fakeFs(entries),
      { scripts: ['/srv/big/app.wsgi'], folders: ['/srv/big'] },
      SINCE,
    );
    assert.equal(selection.files.length, MAX_CHANGED_FILES + 1);
    assert.deepEqual(selection.notes, [
      `stopped looking for changed files: more than ${MAX_CHANGED_FILES} changed files; the rest was not checked`,
    ]);
  });

  it('stops when its time is up and says so', () => {
    const fs = fakeFs({ '/srv/a': 'dir', '/srv/a/x.py': 2000, '/srv/a/y.py': 2000 });
    let clock = 0;
    const slow = { ...fs, now: () => (clock += 3000) };
    const selection = selectSources(slow, { scripts: [], folders: ['/srv/a'] }, SINCE);
    assert.match(selection.notes.join('\n'), /the walk took longer than 5000 ms; the rest was not checked/);
  });
});
