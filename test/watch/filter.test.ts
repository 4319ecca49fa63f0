import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { createDirFilter, createFilter, nativeIgnorePaths, parseExtensions } from '../../src/watch/filter.js';

// Native paths, as the watcher reports them: `C:\srv\app\...` on Windows, `/srv/app/...` elsewhere.
const ROOT = resolve('/srv/app');
const at = (rel: string) => join(ROOT, rel);

function filterWith(
  options: { gitignore?: string; ext?: string[]; ignore?: string[]; files?: string[] } = {},
) {
  return createFilter({
    roots: [ROOT],
    files: options.files,
    extensions: options.ext,
    ignoreGlobs: options.ignore,
    readGitignore: (root) => (root === ROOT ? options.gitignore : undefined),
  });
}

describe('createFilter', () => {
  it('counts source-like files by default', () => {
    const filter = filterWith();
    for (const rel of [
      'app.py',
      'mysite/wsgi.wsgi',
      'templates/base.html',
      'setup.cfg',
      'conf/app.yaml',
      'pyproject.toml',
    ])
      assert.equal(filter(at(rel)), true, rel);
    for (const rel of ['logo.png', 'db.sqlite3', 'Makefile', 'app.js'])
      assert.equal(filter(at(rel)), false, rel);
  });

  it('always ignores caches, VCS, virtualenvs and editor temp files', () => {
    const filter = filterWith();
    for (const rel of [
      '.git/config.json',
      '__pycache__/app.py',
      'pkg/__pycache__/mod.cpython-311.pyc',
      'app.pyc',
      '.app.py.swp',
      'app.py~',
      '.#app.py',
      '4913',
      'app.py.tmp',
      'node_modules/x/index.json',
      'venv/lib/python3.11/site.py',
      '.venv/lib/site.py',
      'sub/.venv/lib/site.py',
      '.tox/py311/x.py',
      '.mypy_cache/3.11/app.json',
    ])
      assert.equal(filter(at(rel)), false, rel);
  });

  it("honours the root's .gitignore, including negation and directories", () => {
    const filter = filterWith({
      gitignore: 'build/\n*.generated.py\nlocal_settings.py\n!keep.generated.py\n',
    });
    assert.equal(filter(at('build/lib/app.py')), false);
    assert.equal(filter(at('models.generated.py')), false);
    assert.equal(filter(at('keep.generated.py')), true);
    assert.equal(filter(at('mysite/local_settings.py')), false);
    assert.equal(filter(at('mysite/settings.py')), true);
  });

  it('--ext replaces the list; --ignore adds globs', () => {
    const filter = filterWith({ ext: parseExtensions('PY, .jinja'), ignore: ['migrations/', 'test_*.py'] });
    assert.equal(filter(at('app.py')), true);
    assert.equal(filter(at('page.jinja')), true);
    assert.equal(filter(at('page.html')), false);
    assert.equal(filter(at('app/migrations/0001_initial.py')), false);
    assert.equal(filter(at('tests/test_views.py')), false);
  });

  it('ignores paths outside every root; files named explicitly always count', () => {
    const named = resolve('/etc/app/app.wsgi.conf.d');
    const filter = filterWith({ files: [named] });
    assert.equal(filter(resolve('/srv/other/app.py')), false);
    assert.equal(filter(ROOT), false);
    assert.equal(filter(named), true);
  });

  it('dir filter and native globs skip the always-ignored directories', () => {
    const dirs = createDirFilter({ roots: [ROOT], readGitignore: () => 'build/\n' });
    assert.equal(dirs(ROOT), true);
    assert.equal(dirs(at('src')), true);
    assert.equal(dirs(at('src/__pycache__')), false);
    assert.equal(dirs(at('.venv')), false);
    assert.equal(dirs(at('build')), false);
    const present = new Set([at('.git'), at('node_modules'), at('src/node_modules')]);
    assert.deepEqual(
      nativeIgnorePaths([ROOT], (path) => present.has(path)),
      [at('.git'), at('node_modules')],
    );
  });
});
