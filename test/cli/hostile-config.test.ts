import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { apacheSkipReason, useSandbox, waitFor } from '../helpers/apache.js';
import { REPO, runCli, startCli } from '../helpers/cli.js';

const skip = apacheSkipReason();
/** The config-reading budget (5 s) and a margin for a loaded machine. */
const BOUND_MS = 15_000;

async function timed(args: string[], env?: NodeJS.ProcessEnv) {
  const started = Date.now();
  const result = await runCli(args, { timeoutMs: 60_000, env });
  return { ...result, ms: Date.now() - started };
}

describe('a real Apache whose configuration turned hostile after it started', {
  skip,
  timeout: 180_000,
}, () => {
  it('Include of a FIFO and of /dev/zero, ErrorLog of a FIFO: ps, reload --dry-run and logs end at once', async (t) => {
    const sandbox = await useSandbox(t, { groups: [{ name: 'django' }] });
    const dir = mkdtempSync(join(tmpdir(), 'wt-safe-files-fifo-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    execFileSync('mkfifo', [join(dir, 'fifo'), join(dir, 'fifo.log')]);
    // Nothing ever writes to these FIFOs: on d6bebd9 the first read blocked wsgictl (and its Ctrl-C) for ever.
    appendFileSync(
      sandbox.configFile,
      `\nInclude ${dir}/fifo\nInclude /dev/zero\nErrorLog ${dir}/fifo.log\n`,
    );
    const instance = ['--instance', String(sandbox.pid)];

    const ps = await timed(['ps', ...instance]);
    assert.ok(ps.ms < BOUND_MS, `ps took ${ps.ms} ms`);
    assert.equal(ps.code, 0, ps.stderr);
    assert.match(ps.stdout, /fifo cannot be read \(not a regular file\)/);
    assert.match(ps.stdout, /\/dev\/zero cannot be read \(not a regular file\)/);

    const reload = await timed(['reload', 'django', '--dry-run', ...instance]);
    assert.ok(reload.ms < BOUND_MS, `reload took ${reload.ms} ms`);
    assert.equal(reload.code, 5, reload.stderr);
    assert.match(reload.stderr, /refused to reload "django" under .*pid \d+.*nothing was sent/);

    const logs = await timed(['logs', 'django', '-n', '5', ...instance]);
    assert.ok(logs.ms < BOUND_MS, `logs took ${logs.ms} ms`);
    assert.equal(logs.code, 1);
    assert.match(logs.stderr, /fifo\.log \(not readable: not a regular file\)/);
  });

  it('a Define bomb and a 100 MB line: ps ends with a doubt and stays small', async (t) => {
    const sandbox = await useSandbox(t, { groups: [{ name: 'django' }] });
    const dir = mkdtempSync(join(tmpdir(), 'wt-safe-files-bomb-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const bomb = ['Define BOMB x', ...Array.from({ length: 40 }, () => 'Define BOMB ${BOMB}${BOMB}')];
    appendFileSync(join(dir, 'line.conf'), `ServerAdmin ${'a'.repeat(100 << 20)}\n`);
    appendFileSync(sandbox.configFile, `\nInclude ${dir}/line.conf\n${bomb.join('\n')}\n`);
    const started = Date.now();
    // GNU time's "Maximum resident set size" is the CLI's peak memory.
    const run = spawnSync(
      '/usr/bin/time',
      ['-v', process.execPath, join(REPO, 'bin/wsgictl.js'), 'ps', '--instance', String(sandbox.pid)],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 },
    );
    const ms = Date.now() - started;
    assert.equal(run.status, 0, run.stderr);
    assert.ok(ms < BOUND_MS, `${ms} ms`);
    assert.match(run.stdout, /line\.conf cannot be read \(EFBIG\)/);
    assert.match(
      run.stdout,
      /its \$\{\} expands to more than 65536 characters; wsgictl stopped reading there/,
    );
    const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1]);
    assert.ok(kb > 0 && kb < 300 * 1024, `max RSS ${kb} kB`);
  });

  it('logs -f goes on when ~600 MB are appended between two polls, and says how much it skipped', async (t) => {
    const sandbox = await useSandbox(t, { groups: [{ name: 'django' }] });
    const follow = startCli(['logs', 'django', '-f', '-n', '1', '--instance', String(sandbox.pid)]);
    t.after(() => {
      if (follow.child.exitCode === null) follow.child.kill('SIGKILL');
    });
    await waitFor('the follower’s first line', () => follow.stdout().endsWith('\n'), 10_000);
    // A sparse 600 MB at once (on d6bebd9: "Cannot create a string longer than 0x1fffffe8"), then a line.
    truncateSync(sandbox.errorLog, statSync(sandbox.errorLog).size + (600 << 20));
    appendFileSync(
      sandbox.errorLog,
      "\n[Wed Dec 02 10:00:00.000000 2026] [wsgi:info] [pid 1:tid 1] after the flood 'django'\n",
    );
    await waitFor('the skipped line', () => /wsgictl: skipped \d+ bytes of /.test(follow.stdout()), 10_000);
    await waitFor('the line after the flood', () => /after the flood 'django'/.test(follow.stdout()), 10_000);
    const skipped = Number(/skipped (\d+) bytes/.exec(follow.stdout())?.[1]);
    assert.ok(skipped > 590 << 20, `skipped ${skipped}`);
    follow.child.kill('SIGINT');
    const ended = await follow.done;
    assert.equal(ended.code, 130, ended.stderr);
  });
});
