#!/usr/bin/env node
// wsgictl end to end against a real Apache + mod_wsgi, as a user runs it: `ps --json`, `reload`, a short
// `watch` and `demo`, each through bin/wsgictl.js. CI's macOS job runs it (Homebrew httpd + pip's mod_wsgi,
// see scripts/macos-install.sh); it runs the same on Linux (Debian's module, or mod_wsgi-express on PATH).
//
//   npm run build && node scripts/e2e.mjs          Apache and the daemons run as you; lsof needs no root
//   sudo --preserve-env=PATH node scripts/e2e.mjs  Apache as root, daemons as nobody: root's view, and then
//                                                  the invoking user's (SUDO_UID), who may not read them
//
// The groups: django (2 processes) and djangoadmin, whose display-names `(wsgi:django)` and
// `(wsgi:djangoadmin)` are cut to the same `(wsgi:d` by Apache's 7-byte argv[0] `apache2`, and flask, which
// has no display-name at all (its daemons look like Apache's workers). Only the sockets tell them apart.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(REPO, 'bin/wsgictl.js');
const { findApache, startSandbox } = await import(join(REPO, 'dist/src/sandbox/apache.js'));

const results = { passed: 0, failed: 0 };
const cleanups = [];

async function check(name, fn) {
  try {
    await fn();
    results.passed++;
    console.log(`ok - ${name}`);
  } catch (error) {
    results.failed++;
    console.log(`not ok - ${name}\n  ${String(error?.stack ?? error).replaceAll('\n', '\n  ')}`);
  }
}

/** `wsgictl ARGS`, collected; `as` runs it as another user (root only). */
function wsgictl(args, as = {}) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...as,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

async function waitFor(what, probe, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 50));
  }
}

async function psJson(pid, as) {
  const result = await wsgictl(['ps', '--json', '--instance', String(pid)], as);
  assert.equal(result.code, 0, `ps --json exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** group -> sorted pids, from wsgictl's records or from mod_wsgi's own log (the truth). */
function byGroup(entries) {
  const groups = {};
  for (const [pid, group] of entries) {
    groups[group] ??= [];
    groups[group].push(pid);
  }
  for (const pids of Object.values(groups)) pids.sort((a, b) => a - b);
  return groups;
}

function daemonsOf(records) {
  return records.filter((record) => record.role === 'daemon');
}

/** The daemons mod_wsgi says are running now: the last start logged for each of the sandbox's slots. */
async function settledDaemons(sandbox, expected) {
  return waitFor('every daemon to be listed by ps', async () => {
    const records = daemonsOf(await psJson(sandbox.pid));
    return records.length === expected && records;
  });
}

async function main() {
  const install = findApache();
  if (!install) {
    console.error('no Apache + mod_wsgi: apt-get install apache2 libapache2-mod-wsgi-py3, or on a Mac run');
    console.error('scripts/macos-install.sh and put mod_wsgi-express on PATH');
    process.exit(1);
  }
  const root = process.getuid?.() === 0;
  console.log(
    `# ${process.platform}, ${root ? 'root' : 'unprivileged'}: ${install.binary} with ${install.wsgiModule} (${install.source})`,
  );

  const sandbox = await startSandbox({
    groups: [{ name: 'django', processes: 2 }, { name: 'djangoadmin' }, { name: 'flask', displayName: null }],
    argv0: 'apache2',
  });
  cleanups.push(() => sandbox.stop());
  const instance = ['--instance', String(sandbox.pid)];
  console.log(`# Apache pid ${sandbox.pid}, config ${sandbox.configFile}`);

  await check('ps --json: each daemon in its own group, told apart by socket', async () => {
    const records = await settledDaemons(sandbox, 4);
    assert.deepEqual(
      byGroup(records.map((record) => [record.pid, record.group])),
      byGroup(sandbox.startedDaemons()),
    );
    for (const record of records) assert.equal(record.evidence, 'socket', JSON.stringify(record));
    const cut = records
      .filter((record) => record.group !== 'flask')
      .map((record) => record.cmd.split(' ')[0]);
    console.log(`#   argv[0] of the django and djangoadmin daemons: ${[...new Set(cut)].join(', ')}`);
  });

  await check('ps (table): no warning about daemons known by display-name only', async () => {
    const result = await wsgictl(['ps', ...instance]);
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(
      result.stdout + result.stderr,
      /warning:|display-name only|cut display-name|no display-name and/i,
    );
    for (const group of ['django', 'djangoadmin', 'flask']) assert.match(result.stdout, new RegExp(group));
  });

  for (const group of ['django', 'flask']) {
    await check(`reload ${group}: its daemons replaced, the other groups untouched`, async () => {
      const before = byGroup(
        daemonsOf(await psJson(sandbox.pid)).map((record) => [record.pid, record.group]),
      );
      const result = await wsgictl(['reload', group, ...instance]);
      assert.equal(result.code, 0, `reload exited ${result.code}: ${result.stderr}${result.stdout}`);
      const after = byGroup((await settledDaemons(sandbox, 4)).map((record) => [record.pid, record.group]));
      assert.equal(after[group]?.length, before[group]?.length);
      for (const pid of after[group])
        assert.ok(!before[group].includes(pid), `${group} pid ${pid} was not replaced`);
      for (const other of Object.keys(before).filter((name) => name !== group)) {
        assert.deepEqual(after[other], before[other], `${other} changed`);
      }
    });
  }

  await check('watch: a saved file reloads its group; Ctrl-C ends it with 130', async () => {
    const app = mkdtempSync(join(tmpdir(), 'wsgictl-e2e-app-'));
    cleanups.push(() => rmSync(app, { recursive: true, force: true }));
    writeFileSync(join(app, 'views.py'), 'x = 1\n');
    const before = byGroup(daemonsOf(await psJson(sandbox.pid)).map((record) => [record.pid, record.group]));
    const child = spawn(
      process.execPath,
      [CLI, 'watch', app, '--json', '--group', 'djangoadmin', ...instance],
      {
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    cleanups.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
    const exited = once(child, 'exit');
    const events = [];
    let stderr = '';
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      const lines = (buffer + chunk).split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line) events.push(JSON.parse(line));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    await waitFor(`watch's ready line (${stderr})`, () => events.some((event) => event.event === 'ready'));
    writeFileSync(join(app, 'views.py'), 'x = 2\n');
    const reload = await waitFor('a reload event', () => events.find((event) => event.event === 'reload'));
    assert.ok(!events.some((event) => event.event === 'error'), JSON.stringify(events));
    const after = byGroup((await settledDaemons(sandbox, 4)).map((record) => [record.pid, record.group]));
    assert.notDeepEqual(after.djangoadmin, before.djangoadmin, JSON.stringify(reload));
    assert.deepEqual(after.django, before.django);
    child.kill('SIGINT');
    assert.deepEqual(await exited, [130, null]);
  });

  if (root && process.env.SUDO_UID) {
    await check('as the invoking user: no socket evidence claimed for root-owned daemons', async () => {
      const as = { uid: Number(process.env.SUDO_UID), gid: Number(process.env.SUDO_GID) };
      const result = await wsgictl(['ps', '--json', ...instance], as);
      // Either refused with the permission exit code, or listed with evidence display-name only.
      if (result.code === 4) {
        assert.match(result.stderr, /root|sudo|permission/i);
        console.log(`#   exit 4: ${result.stderr.trim()}`);
      } else {
        assert.equal(result.code, 0, result.stderr);
        const daemons = daemonsOf(JSON.parse(result.stdout));
        for (const record of daemons) assert.notEqual(record.evidence, 'socket', JSON.stringify(record));
        console.log(`#   exit 0, ${daemons.length} daemons by display-name`);
      }
    });
  }

  await sandbox.stop();

  await check('demo: serves, ps tells its 4 daemons by socket, Ctrl-C stops it', async () => {
    const child = spawn(process.execPath, [CLI, 'demo'], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGINT'));
    const exited = once(child, 'exit');
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (err += chunk));
    await waitFor(
      'the demo to print its hints',
      () => {
        if (child.exitCode !== null) throw new Error(`demo exited ${child.exitCode}: ${err}`);
        return out.includes('Ctrl-C stops the demo.');
      },
      30_000,
    );
    const pid = Number(/demo Apache pid (\d+)/.exec(out)?.[1]);
    const daemons = daemonsOf(await psJson(pid));
    const counts = Object.entries(byGroup(daemons.map((record) => [record.pid, record.group])));
    assert.deepEqual(Object.fromEntries(counts.map(([group, pids]) => [group, pids.length])), {
      django: 3,
      djangoadmin: 1,
    });
    for (const record of daemons) assert.equal(record.evidence, 'socket', JSON.stringify(record));
    child.kill('SIGINT');
    assert.deepEqual(await exited, [0, null]);
    assert.match(out, /demo stopped\n$/);
  });
}

try {
  await main();
} catch (error) {
  results.failed++;
  console.log(`not ok - setting up: ${String(error?.stack ?? error)}`);
} finally {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => {});
}
console.log(`${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed === 0 ? 0 : 1);
