import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { WsgictlError } from '../../src/errors.js';
import {
  NODE_FILE_SYSTEM,
  type PlanFileSystem,
  planWatch,
  resolvePaths,
  watchRoots,
} from '../../src/watch/plan.js';

/** A real project folder: top/src with a .gitignore and a node_modules, top/conf/settings.ini, top/app.wsgi. */
function project(t: TestContext): string {
  const top = realpathSync(mkdtempSync(join(tmpdir(), 'wsgictl-plan-')));
  t.after(() => rmSync(top, { recursive: true, force: true }));
  mkdirSync(join(top, 'src', 'node_modules', 'x'), { recursive: true });
  mkdirSync(join(top, 'src', 'build'), { recursive: true });
  mkdirSync(join(top, 'conf'));
  writeFileSync(join(top, 'src', '.gitignore'), 'build/\n*.gen.py\n');
  writeFileSync(join(top, 'src', 'app.py'), 'x = 1\n');
  writeFileSync(join(top, 'conf', 'settings.ini'), '[a]\n');
  writeFileSync(join(top, 'app.wsgi'), 'application = None\n');
  return top;
}

function usage(pattern: RegExp) {
  return (error: unknown) =>
    error instanceof WsgictlError && error.code === 'USAGE' && pattern.test(error.message);
}

describe('resolvePaths', () => {
  it('reads PATHs from the cwd given (not the process one): directories, files, and how each was typed', (t) => {
    const top = project(t);
    assert.notEqual(process.cwd(), top);
    symlinkSync(join(top, 'src'), join(top, 'link'));
    const { dirs, files, typed } = resolvePaths(['link', 'conf/settings.ini'], top);
    assert.deepEqual(dirs, [join(top, 'src')]);
    assert.deepEqual(files, [join(top, 'conf', 'settings.ini')]);
    assert.deepEqual(
      [...typed],
      [
        [join(top, 'src'), 'link'],
        [join(top, 'conf', 'settings.ini'), 'conf/settings.ini'],
        [join(top, 'conf'), 'conf'],
      ],
    );
  });

  it('refuses a PATH that does not exist, as a usage error naming it', (t) => {
    const top = project(t);
    assert.throws(
      () => resolvePaths(['src', 'nope'], top),
      usage(/^cannot watch "nope": no such file or directory; pass a directory that exists/),
    );
  });
});

describe('watchRoots', () => {
  it('subscribes each directory and each file folder once, none nested in another', () => {
    assert.deepEqual(watchRoots(['/p/src', '/p/src/app', '/q'], ['/p/src/a.py', '/r/x.ini', '/r/y.ini']), [
      '/p/src',
      '/q',
      '/r',
    ]);
    // A sibling whose name starts the same is not nested.
    assert.deepEqual(watchRoots(['/p/src', '/p/src2'], []), ['/p/src', '/p/src2']);
  });
});

describe('planWatch', () => {
  it('plans roots, native skips and a filter from the real folders: .gitignore, --ignore, --ext', (t) => {
    const top = project(t);
    const plan = planWatch({
      paths: ['src', 'conf/settings.ini'],
      cwd: top,
      touch: 'app.wsgi',
      ignoreGlobs: ['secret_*.py'],
    });
    const src = join(top, 'src');
    assert.deepEqual(plan.roots, [join(top, 'conf'), src]);
    assert.deepEqual(plan.nativeIgnore, [join(src, 'node_modules')]);
    assert.equal(plan.script, join(top, 'app.wsgi'));
    assert.equal(plan.filter(join(src, 'app.py')), true);
    assert.equal(plan.filter(join(src, 'views.gen.py')), false, 'src/.gitignore');
    assert.equal(plan.filter(join(src, 'build', 'x.py')), false, 'src/.gitignore');
    assert.equal(plan.filter(join(src, 'secret_key.py')), false, '--ignore');
    assert.equal(plan.filter(join(src, 'notes.bin')), false, 'not a watched extension');
    assert.equal(plan.filter(join(top, 'conf', 'settings.ini')), true, 'named on the command line');
    assert.equal(plan.filter(join(top, 'conf', 'other.ini')), false, 'only the file named');
    assert.equal(plan.dirFilter(join(src, 'build')), false);
    assert.equal(plan.dirFilter(join(src, 'node_modules')), false);
    assert.equal(plan.dirFilter(src), true);
    assert.equal(plan.typed.get(src), 'src');

    const onlyBin = planWatch({ paths: ['src'], cwd: top, ext: '.BIN' });
    assert.equal(onlyBin.filter(join(src, 'notes.bin')), true);
    assert.equal(onlyBin.filter(join(src, 'app.py')), false);
    assert.equal(onlyBin.script, undefined);
  });

  it('refuses an --ext with no extension in it, before looking at the paths', (t) => {
    const top = project(t);
    assert.throws(
      () => planWatch({ paths: ['nope'], cwd: top, ext: ' , ' }),
      usage(/^--ext needs at least one extension, e\.g\. --ext py,html$/),
    );
  });

  it('refuses a --touch script that does not exist before watching anything', (t) => {
    const top = project(t);
    assert.throws(
      () => planWatch({ paths: ['src'], cwd: top, touch: 'missing.wsgi' }),
      usage(/^cannot watch "missing.wsgi": no such file or directory/),
    );
  });

  it('reads the file system only through the one it is given', (t) => {
    const top = project(t);
    const read: string[] = [];
    const fs: PlanFileSystem = {
      ...NODE_FILE_SYSTEM,
      readText: (path) => {
        read.push(path);
        return path.endsWith('.gitignore') ? '*.py\n' : undefined;
      },
    };
    const plan = planWatch({ paths: ['src'], cwd: top }, fs);
    assert.equal(plan.filter(join(top, 'src', 'app.py')), false, "the given file system's .gitignore");
    assert.ok(read.length > 0 && read.every((path) => path === join(top, 'src', '.gitignore')), String(read));
  });
});
