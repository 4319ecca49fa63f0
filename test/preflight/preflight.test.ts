import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FileFacts } from '../../src/apache/binary/run-rules.js';
import { createSites } from '../../src/apache/config/sites.js';
import type { ApacheInstance } from '../../src/groups/instance.js';
import type { CompileOptions } from '../../src/preflight/compile.js';
import { PreflightError } from '../../src/preflight/error.js';
import type { ImportOptions } from '../../src/preflight/import.js';
import { type PreflightDeps, parseStatusGid, preflightGroup } from '../../src/preflight/preflight.js';
import { preflightPlans } from '../../src/preflight/run.js';
import type { PythonFacts } from '../../src/preflight/trust.js';
import type { ProcessInfo } from '../../src/processes/types.js';

const STARTED = Date.UTC(2026, 0, 1, 12, 0, 0);

function daemon(pid: number, uid = 33, startedAt = STARTED): ProcessInfo {
  return {
    pid,
    ppid: 100,
    uid,
    user: 'www-data',
    startKey: String(pid),
    startedAt: new Date(startedAt),
    nsPid: pid,
    argv: ['(wsgi:django)'],
    comm: 'apache2',
    rssBytes: null,
  };
}

/** An instance whose configuration mounts /srv/app/app.wsgi in `django`, python-path=/srv/lib. */
function instance(change: { fileRoot?: string; pythonHome?: string } = {}): ApacheInstance {
  const sites = createSites();
  sites.mounts.push({
    url: '/',
    match: false,
    script: '/srv/app/app.wsgi',
    processGroup: 'django',
    vhost: null,
    file: 'a.conf',
    line: 1,
  });
  sites.mounts.push({
    url: '/other',
    match: false,
    script: '/srv/other/other.wsgi',
    processGroup: 'flask',
    vhost: null,
    file: 'a.conf',
    line: 2,
  });
  const config = {
    groups: [
      {
        id: 1,
        name: 'django',
        processes: 2,
        threads: 15,
        user: null,
        group: null,
        displayName: null,
        pythonHome: change.pythonHome ?? null,
        pythonPath: ['/srv/lib', 'relative/lib'],
        home: null,
        file: 'a.conf',
        line: 3,
      },
    ],
    sites,
    wsgiModule: '/usr/lib/apache2/modules/mod_wsgi.so',
    pythonHome: null,
  };
  return { parent: daemon(100, 0), config, fileRoot: change.fileRoot ?? '' } as unknown as ApacheInstance;
}

const folder = (uid = 0, mode = 0o755): FileFacts => ({
  dev: 1,
  ino: 1,
  size: 0,
  mtimeMs: 0,
  uid,
  mode: 0o040000 | mode,
  isFile: false,
  isLink: false,
});

/** A host with /srv/app/app.wsgi, /srv/lib/changed.py (saved after the start), /srv/lib/old.py. */
function fakeDeps(change: Partial<PreflightDeps> & { pythonUid?: number; failing?: string } = {}) {
  const compiled: CompileOptions[] = [];
  const imported: ImportOptions[] = [];
  const files: Record<string, number> = {
    '/srv/app/app.wsgi': STARTED - 60_000,
    '/srv/lib/changed.py': STARTED + 60_000,
    '/srv/lib/old.py': STARTED - 60_000,
  };
  const dirs = ['/srv/app', '/srv/lib'];
  const entry = (path: string) => {
    if (dirs.includes(path)) return { isDirectory: true, isFile: false, isLink: false, mtimeMs: 0, id: path };
    const mtime = files[path];
    return mtime === undefined
      ? null
      : { isDirectory: false, isFile: true, isLink: false, mtimeMs: mtime, id: path };
  };
  const deps: PreflightDeps = {
    fs: {
      stat: entry,
      lstat: entry,
      list: (dir) =>
        dirs.includes(dir)
          ? Object.keys(files)
              .filter((path) => path.startsWith(`${dir}/`))
              .map((path) => path.slice(dir.length + 1))
          : null,
      now: () => 0,
    },
    readModule: () => Buffer.from('\0libpython3.11.so.1.0\0'),
    exists: (path) => path === '/usr/bin/python3.11' || path === '/srv/venv/bin/python3',
    inspect: (path): PythonFacts => {
      const real = path === '/srv/venv/bin/python3' ? '/srv/venv/bin/python3.11' : path;
      return {
        path,
        real,
        stat: { ...folder(change.pythonUid ?? 0, 0o755), mode: 0o100755, isFile: true },
        folders: [{ path: '/', stat: folder() }],
        stdlib: { path: '/usr/lib/python3.11', stat: folder() },
      };
    },
    compile: async (options) => {
      compiled.push(options);
      return {
        version: '3.11.2',
        results: options.files.map((path) =>
          path === change.failing
            ? {
                path,
                status: 'error' as const,
                type: 'SyntaxError',
                message: "'(' was never closed",
                line: 2,
                offset: 15,
                text: '    return max(1,\n',
              }
            : { path, status: 'ok' as const },
        ),
      };
    },
    importScript: async (options) => {
      imported.push(options);
      return { path: options.script, status: 'ok' };
    },
    euid: 0,
    gidOf: () => 33,
    platform: 'linux',
    ...change,
  };
  return { deps, compiled, imported };
}

describe('preflightGroup', () => {
  it("compiles the group's scripts and the files changed since its oldest daemon started, as its user", async () => {
    const { deps, compiled } = fakeDeps();
    const targets = [daemon(201, 33, STARTED + 5_000), daemon(202)];
    const report = await preflightGroup({ instance: instance(), group: 'django', targets }, deps);
    assert.equal(report.status, 'passed');
    assert.deepEqual(report.files, ['/srv/app/app.wsgi', '/srv/lib/changed.py']);
    assert.equal(report.since, new Date(STARTED).toISOString());
    assert.deepEqual(report.python, {
      path: '/usr/bin/python3.11',
      version: '3.11.2',
      why: 'libpython3.11 of the loaded mod_wsgi',
    });
    assert.deepEqual(report.notes, ['relative/lib is a relative path; not checked']);
    assert.deepEqual(
      compiled.map((each) => [each.python, each.uid, each.gid]),
      [['/usr/bin/python3.11', 33, 33]],
    );
  });

  it('a file that does not compile fails the group with what the compiler said', async () => {
    const { deps } = fakeDeps({ failing: '/srv/lib/changed.py' });
    const report = await preflightGroup(
      { instance: instance(), group: 'django', targets: [daemon(201)] },
      deps,
    );
    assert.equal(report.status, 'failed');
    assert.deepEqual(report.failures, [
      {
        path: '/srv/lib/changed.py',
        type: 'SyntaxError',
        message: "'(' was never closed",
        line: 2,
        offset: 15,
        text: '    return max(1,',
      },
    ]);
    await assert.rejects(
      preflightPlans([{ instance: instance(), group: 'django', targets: [daemon(201)] }], deps),
      (error: unknown) =>
        error instanceof PreflightError &&
        error.exitCode === 1 &&
        /"django" does not compile: \/srv\/lib\/changed\.py:2: SyntaxError: '\(' was never closed; nothing was signalled/.test(
          error.message,
        ),
    );
  });

  it('refuses, and compiles nothing, with a Python a user could write', async () => {
    const { deps, compiled } = fakeDeps({ pythonUid: 1000 });
    const target = {
      instance: instance({ pythonHome: '/srv/venv' }),
      group: 'django',
      targets: [daemon(201)],
    };
    const report = await preflightGroup(target, deps);
    assert.equal(report.status, 'refused');
    assert.match(
      report.reason ?? '',
      /^\/srv\/venv\/bin\/python3 \(python-home=\/srv\/venv\) is not run as root: \/srv\/venv\/bin\/python3\.11 is not owned by root \(uid 1000\)$/,
    );
    assert.deepEqual(compiled, []);
    await assert.rejects(preflightPlans([target], deps), /pre-flight of "django" could not run: .*uid 1000/);
  });

  it("runs as itself when not root, and refuses when a root run cannot read the daemon's group id", async () => {
    const mine = fakeDeps({ euid: 1000 });
    await preflightGroup({ instance: instance(), group: 'django', targets: [daemon(201, 1000)] }, mine.deps);
    assert.deepEqual(
      mine.compiled.map((each) => [each.uid, each.gid]),
      [[undefined, undefined]],
    );
    const { deps } = fakeDeps({ gidOf: () => null });
    const report = await preflightGroup(
      { instance: instance(), group: 'django', targets: [daemon(201)] },
      deps,
    );
    assert.deepEqual([report.status, report.reason], ['refused', 'the group id of pid 201 cannot be read']);
  });

  it("skips an Apache in a container (its Python is the container's) and platforms other than Linux", async () => {
    const { deps, compiled } = fakeDeps();
    const boxed = await preflightGroup(
      { instance: instance({ fileRoot: '/proc/300/root' }), group: 'django', targets: [daemon(201)] },
      deps,
    );
    assert.equal(boxed.status, 'skipped');
    assert.match(boxed.reason ?? '', /container/);
    const mac = await preflightGroup(
      { instance: instance(), group: 'django', targets: [daemon(201)] },
      { ...deps, platform: 'darwin' },
    );
    assert.equal(mac.status, 'skipped');
    assert.deepEqual(compiled, []);
  });

  it("reads a daemon's effective gid from its status", () => {
    assert.equal(parseStatusGid('Name:\tapache2\nUid:\t33\t33\t33\t33\nGid:\t33\t34\t33\t33\n'), 34);
    assert.equal(parseStatusGid('Name:\tx\n'), null);
  });
});

describe('preflightGroup with --preflight import', () => {
  const target = () => ({ instance: instance(), group: 'django', targets: [daemon(201)] });

  it('imports each WSGI script once everything compiles, as the group’s user with its python-path; compile mode never does', async () => {
    const plain = fakeDeps();
    await preflightGroup(target(), plain.deps);
    assert.deepEqual(plain.imported, []);
    const { deps, imported } = fakeDeps();
    const report = await preflightGroup(target(), deps, 'import');
    assert.equal(report.status, 'passed');
    assert.deepEqual(report.imported, ['/srv/app/app.wsgi']);
    assert.deepEqual(
      imported.map((each) => [each.python, each.script, each.pythonPath, each.uid, each.gid]),
      [['/usr/bin/python3.11', '/srv/app/app.wsgi', ['/srv/lib', 'relative/lib'], 33, 33]],
    );
    // A file that does not compile is not imported at all.
    const broken = fakeDeps({ failing: '/srv/lib/changed.py' });
    assert.equal((await preflightGroup(target(), broken.deps, 'import')).status, 'failed');
    assert.deepEqual(broken.imported, []);
  });

  it('a script that raises at import fails the group with its traceback and the line in the script', async () => {
    const { deps } = fakeDeps({
      importScript: async (options) => ({
        path: options.script,
        status: 'error',
        type: 'RuntimeError',
        message: 'no database',
        traceback: [
          'Traceback (most recent call last):\n',
          `  File "${options.script}", line 4, in <module>\n    import models\n`,
          '  File "/srv/lib/models.py", line 1, in <module>\n    raise RuntimeError("no database")\n',
          'RuntimeError: no database\n',
        ],
      }),
    });
    const report = await preflightGroup(target(), deps, 'import');
    assert.equal(report.status, 'failed');
    assert.deepEqual(
      report.failures.map((failure) => [failure.path, failure.type, failure.message, failure.line]),
      [['/srv/app/app.wsgi', 'RuntimeError', 'no database', 4]],
    );
    assert.equal(report.failures[0]?.traceback?.at(-1), 'RuntimeError: no database');
    await assert.rejects(
      preflightPlans([target()], deps, 'import'),
      (error: unknown) =>
        error instanceof PreflightError &&
        /"django" raises at import: \/srv\/app\/app\.wsgi:4: RuntimeError: no database; nothing was signalled/.test(
          error.message,
        ),
    );
  });

  it('an import that hangs is the app’s failure; one that cannot be started refuses', async () => {
    const hang = fakeDeps({
      importScript: async () => {
        throw new Error('importing /srv/app/app.wsgi took longer than 20000 ms');
      },
    });
    const hung = await preflightGroup(target(), hang.deps, 'import');
    assert.deepEqual([hung.status, hung.failures[0]?.type], ['failed', 'Timeout']);
    const broken = fakeDeps({
      importScript: async () => {
        throw new Error('spawn EACCES');
      },
    });
    const refused = await preflightGroup(target(), broken.deps, 'import');
    assert.equal(refused.status, 'refused');
    assert.match(refused.reason ?? '', /could not import \/srv\/app\/app\.wsgi: spawn EACCES/);
  });
});
