import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli.js';
import type { SshOutput } from '../../src/fleet/ssh.js';
import { VERSION } from '../../src/version.js';
import { recordingContext } from '../helpers/context.js';

const envelope = (stdout: string): SshOutput => ({
  exitCode: 0,
  signal: null,
  stdout: `${JSON.stringify({ wsgictl: VERSION, exitCode: 0, stdout, stderr: '' })}\n`,
  stderr: '',
});

/**
 * `watch DIR --host web1 --group django OPTIONS`, with ssh handed in: saves a file until the host is asked
 * to reload, then stops the watch. The remote command line of that reload.
 */
async function remoteReloadLine(options: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'wsgictl-watch-forward-'));
  let reloaded: (line: string) => void = () => {};
  const line = new Promise<string>((resolve) => (reloaded = resolve));
  let stop: (signal: 'SIGINT') => void = () => {};
  const stopped = new Promise<'SIGINT'>((resolve) => (stop = resolve));
  const { context, err } = recordingContext({
    cwd: dir,
    stopSignal: () => stopped,
    ssh: async (args) => {
      const remote = args.at(-1) as string;
      if (/ --version$/.test(remote)) return envelope(`${VERSION}\n`);
      if (/ reload /.test(remote)) reloaded(remote);
      return envelope('[]');
    },
  });
  try {
    const running = main(
      ['node', 'wsgictl', 'watch', dir, '--host', 'web1', '--group', 'django', ...options],
      context,
    );
    let seen: string | undefined;
    line.then((value) => (seen = value));
    for (let i = 0; i < 100 && seen === undefined; i++) {
      writeFileSync(join(dir, 'app.py'), `# ${i}\n`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    stop('SIGINT');
    assert.equal(await running, 130, err.join(''));
    assert.ok(seen, `the host was asked to reload: ${err.join('')}`);
    return seen;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("watch --host forwards the reload options typed, as reload --host does, and none of watch's own", async () => {
  assert.equal(
    await remoteReloadLine([
      '--graceful',
      '--rolling',
      '--timeout',
      '1m',
      '--check',
      '--debounce',
      '50ms',
      '--ext',
      'py',
    ]),
    'wsgictl --envelope reload django --json --graceful --rolling --timeout=1m --check',
  );
});

test("watch --host leaves an option not typed to the host's default", async () => {
  assert.equal(await remoteReloadLine(['--debounce', '50ms']), 'wsgictl --envelope reload django --json');
});
