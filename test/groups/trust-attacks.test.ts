import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PsRecord } from '../../src/groups/records.js';
import { startSandbox, waitForChild, waitForExit } from '../../src/sandbox/apache.js';
import type { Sandbox } from '../../src/sandbox/types.js';
import { apacheSkipReason, requireRoot, waitFor } from '../helpers/apache.js';
import { REPO, runCli, worldReadableInstall } from '../helpers/cli.js';
import { ensureUser, type TestUser } from '../helpers/users.js';

const skip = apacheSkipReason();
const GROUP = `wtte${process.pid}`;
const started: ChildProcess[] = [];
const made: string[] = [];

/** A process of ours, stopped after the suite; resolves once the kernel shows it under `comm`. */
async function startAs(
  user: TestUser | null,
  file: string,
  args: string[],
  comm = 'apache2',
): Promise<number> {
  const child = spawn(file, args, {
    stdio: 'ignore',
    ...(user ? { uid: user.uid, gid: user.gid, cwd: user.home } : {}),
  });
  started.push(child);
  const pid = child.pid ?? -1;
  await waitFor(`${file} to run as ${comm}`, () => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm;
    } catch {
      return false;
    }
  });
  return pid;
}

/** A folder of the user's own, as a user would make it. */
function userFolder(user: TestUser, name: string): string {
  const dir = join(user.home, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { mode: 0o755 });
  chownSync(dir, user.uid, user.gid);
  return dir;
}

/**
 * The markers that a run of this checkout's wsgictl left: each records the command line of whoever ran the
 * script (other engineers' older wsgictl runs on this machine too, and would run it as well).
 */
function ourMarkers(dir: string): string[] {
  return readdirSync(dir).filter((name) => readFileSync(join(dir, name), 'utf8').includes(REPO));
}

/** A script that records who ran it: its parent's command line. */
function markerScript(dir: string): string {
  return `#!/bin/sh\ntr '\\0' ' ' < /proc/$PPID/cmdline > ${dir}/ran-$(id -u)-$$\n`;
}

function markerDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wsgictl-marker-'));
  chmodSync(dir, 0o777);
  made.push(dir);
  return dir;
}

const RUN = { timeoutMs: 30_000 };

describe('the trust model, with real hostile processes', { skip }, () => {
  let sandbox: Sandbox;
  let user: TestUser;
  before(async () => {
    requireRoot('a second user and namespaces');
    user = ensureUser('wt-trust-exec-a');
    sandbox = await startSandbox({ groups: [{ name: GROUP }] });
  });
  after(async () => {
    for (const child of started) {
      child.kill('SIGKILL');
      await waitForExit(child, 5000);
    }
    await sandbox?.stop();
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it("never runs a user's replaced binary, lists it as not trusted, still handles the real Apache", async () => {
    const dir = userFolder(user, 'fake-exec');
    const fake = join(dir, 'apache2');
    copyFileSync('/bin/sleep', fake);
    chownSync(fake, user.uid, user.gid);
    const pid = await startAs(user, fake, ['600']);
    const marks = markerDir();
    unlinkSync(fake);
    writeFileSync(fake, markerScript(marks), { mode: 0o755 });
    chownSync(fake, user.uid, user.gid);

    const table = await runCli(['ps'], RUN);
    const json = await runCli(['ps', '--json'], RUN);
    const dry = await runCli(['reload', '--all', '--dry-run'], RUN);
    assert.deepEqual(ourMarkers(marks), [], 'root ran the script');
    assert.match(
      table.stdout,
      new RegExp(`apache2 pid ${pid} \\(wt-trust-exec-a\\): not trusted, runs as wt-trust-exec-a`),
    );
    assert.match(table.stdout, new RegExp(`pid ${sandbox.pid}\\b`));
    const records = JSON.parse(json.stdout) as PsRecord[];
    const record = records.find((r) => r.pid === pid);
    assert.equal(record?.trusted, false);
    assert.match(record?.distrust ?? '', /not as root or as you/);
    assert.ok(
      records.some((r) => r.instance === sandbox.pid && r.group === GROUP && r.trusted),
      json.stdout,
    );
    assert.ok(!dry.stdout.includes(`${pid}`), dry.stdout);
    const mine = await runCli(['reload', GROUP, '--dry-run', '--instance', String(sandbox.pid)], RUN);
    assert.equal(mine.code, 0, mine.stderr);
    assert.match(mine.stdout, /would signal/);
  });

  it("acts only on the real Apache beside a user's fake with the same group and a well-named socket", async () => {
    const dir = userFolder(user, 'fake-group');
    symlinkSync('/usr/bin/python3', join(dir, 'apache2'));
    execFileSync('mkfifo', ['-m', '644', join(dir, 'fifo')]);
    chownSync(join(dir, 'fifo'), user.uid, user.gid);
    writeFileSync(
      join(dir, 'httpd.conf'),
      `ServerRoot ${dir}\nWSGISocketPrefix ${dir}/wsgi\nWSGIDaemonProcess ${GROUP} processes=1 display-name=%{GROUP}\nInclude ${dir}/fifo\n`,
    );
    writeFileSync(
      join(dir, 'fake.py'),
      [
        'import os, socket, subprocess, sys, time',
        'd = sys.argv[1]',
        's = socket.socket(socket.AF_UNIX)',
        's.bind(f"{d}/wsgi.{os.getpid()}.0.1.sock")',
        's.listen()',
        `subprocess.Popen(["(wsgi:${GROUP})", "-c", "import time; time.sleep(600)"], executable=f"{d}/apache2", pass_fds=[s.fileno()])`,
        'time.sleep(600)',
      ].join('\n'),
    );
    const fake = await startAs(user, join(dir, 'apache2'), [
      join(dir, 'fake.py'),
      dir,
      '-f',
      join(dir, 'httpd.conf'),
    ]);
    const daemon = await waitForChild(fake, /^apache2$/);
    await waitFor('the fake daemon to show its display-name', () =>
      readFileSync(`/proc/${daemon}/cmdline`, 'utf8').startsWith(`(wsgi:${GROUP})`),
    );
    const named = await runCli(['reload', GROUP, '--instance', String(sandbox.pid)], RUN);
    assert.equal(named.code, 0, `${named.stdout}${named.stderr}`);
    const plain = await runCli(['reload', GROUP], RUN);
    assert.equal(plain.code, 0, `${plain.stdout}${plain.stderr}`);
    assert.ok(!`${plain.stdout}${plain.stderr}`.includes(String(daemon)), plain.stdout);
    assert.equal(
      readFileSync(`/proc/${daemon}/cmdline`, 'utf8').split('\0')[0],
      `(wsgi:${GROUP})`,
      'still alive',
    );
  });

  it("never runs a container's binary: its /usr/sbin/apache2 replaced by a script", async () => {
    const marks = markerDir();
    const script = [
      'mount -t tmpfs wtte-sbin /usr/sbin && cp /bin/sleep /usr/sbin/apache2 || exit 1',
      '/usr/sbin/apache2 600 & sleep 0.3',
      'rm /usr/sbin/apache2 && printf "%s" "$1" > /usr/sbin/apache2 && chmod 755 /usr/sbin/apache2',
      'wait',
    ].join('\n');
    const shell = spawn(
      'unshare',
      ['--mount', '--propagation', 'private', '--', 'bash', '-c', script, 'bash', markerScript(marks)],
      {
        stdio: 'ignore',
      },
    );
    started.push(shell);
    const pid = await waitForChild(shell.pid ?? -1, /^apache2$/);
    assert.ok(pid > 0);
    await waitFor('the binary to be replaced', () =>
      readFileSync(`/proc/${pid}/root/usr/sbin/apache2`, 'utf8').includes('cmdline'),
    );
    // Only this instance: other engineers' hostile Apaches run on this machine too.
    const table = await runCli(['ps', '--instance', String(pid)], RUN);
    const json = await runCli(['ps', '--json', '--instance', String(pid)], RUN);
    assert.deepEqual(ourMarkers(marks), [], "root ran the container's script");
    assert.equal(table.code, 0, table.stderr);
    assert.equal(json.code, 0, json.stderr);
    const parent = (JSON.parse(json.stdout) as PsRecord[]).find((record) => record.pid === pid);
    assert.equal(parent?.trusted, true, 'root in its own mount namespace: an instance');
    assert.match(table.stdout, new RegExp(`apache2 pid ${pid}\\b`));
  });

  it("changes nothing through a planted symlink when HOME is another user's", async () => {
    const home = userFolder(user, 'home-planted');
    const secret = mkdtempSync(join(tmpdir(), 'wsgictl-root-only-'));
    writeFileSync(join(secret, 'keep.txt'), 'root only\n', { mode: 0o600 });
    mkdirSync(join(home, '.cache'));
    chownSync(join(home, '.cache'), user.uid, user.gid);
    symlinkSync(secret, join(home, '.cache', 'wsgictl'));
    const victim = join(secret, 'keep.txt');
    for (let pid = 1; pid < 64; pid++) symlinkSync(victim, join(secret, `apache-builds.json.${pid}`));
    const before = readdirSync(secret).sort();
    const result = await runCli(['ps', '--instance', String(sandbox.pid)], {
      ...RUN,
      env: { HOME: home, XDG_CACHE_HOME: '' },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(readdirSync(secret).sort(), before);
    assert.equal(readFileSync(victim, 'utf8'), 'root only\n');
    rmSync(secret, { recursive: true, force: true });
  });

  it('says /proc hides processes (exit 4), not "no Apache", under hidepid=2', async () => {
    const install = worldReadableInstall();
    const dir = mkdtempSync(join(tmpdir(), 'wsgictl-hidepid-'));
    chmodSync(dir, 0o755);
    copyFileSync('/bin/sleep', join(dir, 'apache2'));
    chmodSync(join(dir, 'apache2'), 0o755);
    // Only the proc instance of a new pid namespace, in a private mount namespace, is remounted.
    const script = [
      'mount -o remount,hidepid=2 /proc || exit 90',
      `${dir}/apache2 600 &`,
      'sleep 0.2',
      `setpriv --reuid ${user.uid} --regid ${user.gid} --clear-groups ${process.execPath} ${install}/bin/wsgictl.js ps`,
    ].join('\n');
    const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const child = spawn(
        'unshare',
        ['--mount', '--pid', '--fork', '--mount-proc', '--', 'bash', '-c', script],
        {
          env: { ...process.env, NO_COLOR: '1' },
        },
      );
      let text = '';
      child.stdout.on('data', (chunk) => (text += chunk));
      child.stderr.on('data', (chunk) => (text += chunk));
      child.on('close', (code) => resolve({ code, text }));
    });
    rmSync(dir, { recursive: true, force: true });
    assert.ok(
      !readFileSync('/proc/self/mountinfo', 'utf8').includes('hidepid'),
      "the machine's /proc untouched",
    );
    assert.equal(output.code, 4, output.text);
    assert.match(
      output.text,
      /hidepid=(2|invisible), which hides other users' processes from you: run wsgictl as root/,
    );
    assert.ok(existsSync(install));
  });
});
