import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { httpGet } from '../../src/http.js';
import { createProcessSource } from '../../src/processes/index.js';
import { findFreePort, waitForChild } from '../../src/sandbox/apache.js';
import { apacheSkipReason, waitFor } from '../helpers/apache.js';
import { psJson, REPO, runCli } from '../helpers/cli.js';

const skip = apacheSkipReason();
const source = createProcessSource();

async function isGone(pid: number): Promise<boolean> {
  return (await source.read(pid)) === null; // gone, or a zombie waiting to be reaped
}

/**
 * Stops a demo this test started, as a user would (Ctrl-C), and if it had to be killed, the Apache it had
 * started (recognised by its own configuration file, so that a reused pid is left alone).
 */
async function stopDemo(child: ChildProcess, apache: { pid?: number; configFile?: string }): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
  }
  const left = apache.pid === undefined ? null : await source.read(apache.pid);
  if (left && apache.configFile && left.argv.includes(apache.configFile)) process.kill(left.pid, 'SIGTERM');
}

/** True when `signal` waits for `pid` (stopped, say): the process's own or its thread group's pending set. */
function hasPending(pid: number, signal: 'SIGTERM'): boolean {
  const bit = 1n << BigInt(constants.signals[signal] - 1);
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return ['SigPnd', 'ShdPnd'].some((field) => {
      const mask = new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'm').exec(status)?.[1];
      return mask !== undefined && (BigInt(`0x${mask}`) & bit) !== 0n;
    });
  } catch {
    return false;
  }
}

describe('wsgictl demo', { skip }, () => {
  it('--port serves there, prints commands that name its instance, and Ctrl-C stops its Apache', async (t) => {
    const port = await findFreePort();
    const child = spawn(process.execPath, [join(REPO, 'bin/wsgictl.js'), 'demo', '--port', String(port)], {
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const apache: { pid?: number; configFile?: string } = {};
    t.after(() => stopDemo(child, apache));
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    const ready = await waitFor(
      'the demo to print its hints',
      () => {
        assert.equal(child.exitCode, null, `demo exited early: ${err}`);
        return out.includes('Ctrl-C stops the demo.') && out;
      },
      30_000,
    );
    apache.pid = Number(/demo Apache pid (\d+)/.exec(ready)?.[1]);
    apache.configFile = /^config (\S+)$/m.exec(ready)?.[1];
    const pid = apache.pid;
    assert.match(ready, new RegExp(`serving http://127\\.0\\.0\\.1:${port}/django`));
    for (const command of ['ps', 'reload django', 'reload django --rolling']) {
      assert.ok(ready.includes(`  wsgictl ${command} --instance ${pid}\n`), `${command} names the instance`);
    }
    assert.match(ready, new RegExp(`wsgictl watch \\S+ --group django --instance ${pid} `));
    assert.deepEqual(
      ready.split('\n').filter((line) => line.includes('wsgictl ') && !line.includes(`--instance ${pid}`)),
      [],
    );
    const reply = await httpGet(`http://127.0.0.1:${port}/django`);
    assert.match(reply.body, /^django \d+\n$/);
    const daemons = (await psJson(pid)).filter((r) => r.role === 'daemon').map((r) => r.pid);
    assert.equal(daemons.length, 4);

    const exited = once(child, 'exit');
    child.kill('SIGINT');
    assert.deepEqual(await exited, [0, null]);
    assert.match(out, /demo stopped\n$/);
    await waitFor('the demo Apache and its daemons to be gone', async () => {
      for (const old of [pid, ...daemons]) if (!(await isGone(old))) return false;
      return true;
    });
  });

  for (const [signal, when] of [
    ['SIGINT', 'while its Apache starts'],
    ['SIGTERM', 'once it serves'],
  ] as const) {
    it(`${signal} ${when}: its Apache is stopped and its ServerRoot removed`, async (t) => {
      // Its own TMPDIR: the ServerRoot the demo makes is the one folder that appears there.
      const tmp = mkdtempSync(join(tmpdir(), 'wsgictl-demo-tmp-'));
      chmodSync(tmp, 0o755); // the daemons, as www-data, must reach the ServerRoot below it
      const child = spawn(process.execPath, [join(REPO, 'bin/wsgictl.js'), 'demo'], {
        env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      const exited = once(child, 'exit');
      const apache = await waitForChild(child.pid ?? -1, /^apache2$/, 20_000);
      assert.notEqual(apache, -1, 'the demo started an Apache');
      const root = join(tmp, readdirSync(tmp)[0] ?? assert.fail('no ServerRoot'));
      t.after(async () => {
        // Only if the demo failed to: its own Apache (by its ServerRoot in argv), then the folders.
        const left = await source.read(apache);
        if (left?.argv.some((arg) => arg.startsWith(root))) process.kill(apache, 'SIGTERM');
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        rmSync(tmp, { recursive: true, force: true });
      });
      if (signal === 'SIGTERM') {
        await waitFor('the demo to serve', () => out.includes('Ctrl-C stops the demo.'), 30_000);
        child.kill(signal);
      } else {
        // Held while it starts, so that "while its Apache starts" holds on every mod_wsgi (6.x can be up
        // within a poll): Apache's process group is stopped, the demo told to stop, and Apache let go only
        // once the demo's SIGTERM is pending, when nothing can make the demo call it ready any more.
        process.kill(-apache, 'SIGSTOP');
        t.after(() => {
          try {
            process.kill(-apache, 'SIGCONT');
          } catch {}
        });
        assert.ok(
          !out.includes('Ctrl-C stops the demo.'),
          `the demo was ready before its Apache was held:\n${out}`,
        );
        child.kill(signal);
        await waitFor('the demo to send its Apache SIGTERM', () => hasPending(apache, 'SIGTERM'), 10_000);
        process.kill(-apache, 'SIGCONT');
      }
      assert.deepEqual(await exited, [0, null], out);
      assert.match(
        out,
        signal === 'SIGTERM' ? /demo stopped\n$/ : /demo stopped while its Apache was starting\n$/,
      );
      assert.deepEqual(readdirSync(tmp), [], 'the ServerRoot is removed');
      assert.equal(await isGone(apache), true, `Apache pid ${apache} is gone`);
    });
  }

  it('--port already in use: one line, exit 1; a port out of range: exit 2', async (t) => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const busy = await runCli(['demo', '--port', String(port)], { timeoutMs: 30_000 });
    assert.equal(busy.code, 1, busy.stdout);
    assert.equal(
      busy.stderr,
      `wsgictl: port ${port} on 127.0.0.1 is already in use: choose another port, or leave --port out to get a free one\n`,
    );
    for (const bad of ['0', '65536', 'http', '80.5']) {
      const result = await runCli(['demo', '--port', bad], { timeoutMs: 30_000 });
      assert.equal(result.code, 2, bad);
      assert.match(result.stderr, /^wsgictl: .*expected a port number from 1 to 65535 \(see --help\)\n$/);
    }
  });
});
