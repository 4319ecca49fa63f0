import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { apacheSkipReason, useSandbox, waitFor } from '../helpers/apache.js';
import { REPO } from '../helpers/cli.js';
import { startWatch as watch } from '../helpers/watch.js';

const skip = apacheSkipReason();

function project(t: TestContext): string {
  const root = mkdtempSync(join(tmpdir(), 'wsgictl-watch-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'app/__pycache__'), { recursive: true });
  writeFileSync(join(root, 'app/views.py'), 'x = 1\n');
  writeFileSync(join(root, '.gitignore'), 'generated/\n');
  return root;
}

function daemonsOf(started: Map<number, string>, group: string): number[] {
  return [...started].filter(([, g]) => g === group).map(([pid]) => pid);
}

describe('wsgictl watch against a real Apache', { skip, timeout: 120_000 }, () => {
  it('a .py change reloads the group once: its pids replaced', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django', processes: 2 }] });
    const root = project(t);
    const before = daemonsOf(sandbox.startedDaemons(), 'django').sort();
    const w = await watch(t, [root, '--group', 'django', '--instance', String(sandbox.pid)]);
    writeFileSync(join(root, 'app/views.py'), 'x = 2\n');
    const [reload] = await waitFor('a reload', () => w.reloads().length > 0 && w.reloads(), 30_000);
    assert.ok(reload?.action === 'group', w.stderr());
    assert.equal(reload.outcome, 'replaced');
    assert.deepEqual([...reload.oldPids].sort(), before);
    const started = daemonsOf(sandbox.startedDaemons(), 'django');
    assert.deepEqual(
      reload.newPids.filter((pid) => !started.includes(pid)),
      [],
      'new pids are the daemons Apache started',
    );
    assert.equal(reload.newPids.filter((pid) => before.includes(pid)).length, 0);
    assert.deepEqual(reload.files, [join(root, 'app/views.py')]);
  });

  it('a burst of 400 files, ignored paths first, gives exactly one reload of the counted files', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django', processes: 1 }] });
    const root = project(t);
    const w = await watch(t, [root, '--group', 'django', '--instance', String(sandbox.pid)]);
    // none of these count: compiled, editor temp, .gitignore'd, always-ignored dirs, wrong extension
    mkdirSync(join(root, 'generated'));
    mkdirSync(join(root, '.venv/lib'), { recursive: true });
    writeFileSync(join(root, 'app/__pycache__/views.cpython-311.pyc'), 'pyc');
    writeFileSync(join(root, 'app/.views.py.swp'), 'swp');
    writeFileSync(join(root, 'app/views.py~'), 'backup');
    writeFileSync(join(root, 'generated/models.py'), 'x');
    writeFileSync(join(root, '.venv/lib/site.py'), 'x');
    writeFileSync(join(root, 'app/logo.png'), 'png');
    for (let i = 0; i < 400; i++) writeFileSync(join(root, 'app', `m${i}.py`), `x = ${i}\n`);
    await waitFor('a reload', () => w.reloads().length > 0, 30_000);
    const sentinel = join(root, 'app/sentinel.py');
    writeFileSync(sentinel, 'y = 1\n'); // a later reload proves nothing else was queued in between
    await waitFor('the sentinel reload', () => w.reloads().some((r) => r.files.includes(sentinel)), 30_000);
    const [burst, last] = w.reloads();
    assert.equal(w.reloads().length, 2, JSON.stringify(w.reloads().map((r) => r.files.length)));
    assert.equal(burst?.files.length, 400);
    assert.ok(burst?.files.every((file) => /\/app\/m\d+\.py$/.test(file)));
    assert.deepEqual(last?.files, [sentinel]);
  });

  it('a change during a reload gives exactly one more reload after it', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django', processes: 2 }] });
    const root = project(t);
    const w = await watch(t, [root, '--group', 'django', '--instance', String(sandbox.pid)]);
    writeFileSync(join(root, 'app/a.py'), '1');
    await waitFor('the first batch', () => w.events.some((e) => e.event === 'change'));
    assert.equal(w.reloads().length, 0, 'the reload is still running');
    writeFileSync(join(root, 'app/b.py'), '1');
    writeFileSync(join(root, 'app/c.py'), '1');
    await waitFor('two reloads', () => w.reloads().length >= 2, 30_000);
    const sentinel = join(root, 'app/sentinel.py');
    writeFileSync(sentinel, '1');
    await waitFor('the sentinel reload', () => w.reloads().some((r) => r.files.includes(sentinel)), 30_000);
    const files = w.reloads().map((r) => r.files.map((f) => f.slice(root.length + 5)).sort());
    assert.deepEqual(files, [['a.py'], ['b.py', 'c.py'], ['sentinel.py']]);
    assert.ok(w.reloads().every((r) => r.action === 'group' && r.outcome === 'replaced'));
  });

  it('--poll detects a change', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django', processes: 1 }] });
    const root = project(t);
    const w = await watch(t, [
      root,
      '--poll',
      '100ms',
      '--group',
      'django',
      '--instance',
      String(sandbox.pid),
    ]);
    assert.equal((w.events[0] as { mode?: string }).mode, 'poll');
    writeFileSync(join(root, 'app/views.py'), 'x = 22\n');
    await waitFor('a reload', () => w.reloads().length > 0, 30_000);
    const [reload] = w.reloads();
    assert.ok(reload?.action === 'group', w.stderr());
    assert.equal(reload.outcome, 'replaced');
  });

  it('SIGINT during a reload: the reload finishes, then exit 130', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django', processes: 2 }] });
    const root = project(t);
    const before = daemonsOf(sandbox.startedDaemons(), 'django');
    const w = await watch(t, [root, '--group', 'django', '--instance', String(sandbox.pid)]);
    writeFileSync(join(root, 'app/views.py'), 'x = 3\n');
    await waitFor('the batch to start', () => w.events.some((e) => e.event === 'change'));
    const sent = Date.now();
    w.child.kill('SIGINT');
    const code = await w.exited;
    assert.equal(code, 130, w.stderr());
    assert.ok(Date.now() - sent < 10_000, 'stops promptly');
    const [reload] = w.reloads();
    assert.ok(reload?.action === 'group', 'the reload in flight was finished and reported');
    assert.equal(reload.outcome, 'replaced');
    const alive = daemonsOf(sandbox.startedDaemons(), 'django').filter((pid) => !before.includes(pid));
    assert.equal(alive.length, 2, 'the group runs on with new daemons');
  });
});

describe('wsgictl watch --exec and usage', () => {
  // POSIX only: the command is `sh -c` job control (`&`, `wait`), the test sends the child a real SIGINT and
  // probes process groups with kill(-pid). On Windows child.kill('SIGINT') terminates the process outright
  // (no handler runs, so there is no 130) and there are no process groups.
  const posixOnly =
    process.platform === 'win32'
      ? 'Windows: no SIGINT can be delivered to a child, and no process groups to probe'
      : false;

  it('restarts the command on a change, and Ctrl-C stops it and exits 130', {
    skip: posixOnly,
  }, async (t) => {
    const root = project(t);
    const w = await watch(t, [root, '--exec', 'sleep 300 & sleep 301 & wait']);
    writeFileSync(join(root, 'app/views.py'), 'x = 4\n');
    await waitFor('a restart', () => w.reloads().length > 0, 15_000);
    const [restart] = w.reloads();
    assert.ok(restart?.action === 'exec' && restart.oldPid && restart.newPid);
    assert.throws(() => process.kill(restart.oldPid as number, 0), /ESRCH/);
    assert.throws(() => process.kill(-(restart.oldPid as number), 0), /ESRCH/, 'no orphan in the old tree');
    w.child.kill('SIGINT');
    assert.equal(await w.exited, 130);
    assert.throws(() => process.kill(-(restart.newPid as number), 0), /ESRCH/, 'the new tree is stopped too');
  });

  it('a PATH that does not exist is exit 2 before anything starts', async (t) => {
    const child = spawn(process.execPath, [
      join(REPO, 'bin/wsgictl.js'),
      'watch',
      '/nonexistent/src',
      '--group',
      'x',
    ]);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    t.diagnostic(stderr);
    assert.equal(code, 2);
    assert.match(stderr, /cannot watch "\/nonexistent\/src": no such file or directory/);
  });
});
