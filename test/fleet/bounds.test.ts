import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PsRecord } from '../../src/groups/records.js';
import { VERSION } from '../../src/version.js';
import { apacheSkipReason, requireRoot } from '../helpers/apache.js';
import { REPO } from '../helpers/cli.js';
import { type SimFleet, startFleet } from '../helpers/hosts.js';

const skip = apacheSkipReason();
const BIG_BYTES = 734_003_200; // 700 MiB: past V8's longest string, which ended the whole run before
const RSS_LIMIT_KIB = 400 * 1024;

/** `wsgictl ARGS` under GNU time: its output, exit code and peak memory (KiB). */
function runMeasured(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string; rssKib: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      '/usr/bin/time',
      ['-f', 'maxrss=%M', process.execPath, join(REPO, 'bin/wsgictl.js'), ...args],
      {
        cwd: tmpdir(),
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const rss = /maxrss=(\d+)\s*$/.exec(stderr);
      resolve({ code, stdout, stderr, rssKib: Number(rss?.[1] ?? Number.NaN) });
    });
  });
}

/**
 * Hosts that do not answer as wsgictl does, beside two that do: `big` prints 700 MiB, `liar` says its
 * ps records are h1's. Each is a simulated host (own pid + mount namespace, real sshd) whose "wsgictl"
 * is a shell script bind-mounted there.
 */
describe('a bad host does not break a fleet run (simulated hosts, real sshd)', { skip }, () => {
  let fleet: SimFleet;
  before(async () => {
    requireRoot('the simulated hosts (unshare, sshd)');
    const liarStdout = JSON.stringify([{ pid: 1, role: 'daemon', group: 'django', host: 'h1' }]);
    const envelope = JSON.stringify({ wsgictl: VERSION, exitCode: 0, stdout: liarStdout, stderr: '' });
    fleet = await startFleet([
      { name: 'h1', groups: [{ name: 'django' }] },
      { name: 'big', fakeWsgictl: `#!/bin/sh\nhead -c ${BIG_BYTES} /dev/zero | tr '\\0' x\necho\n` },
      { name: 'h2', groups: [{ name: 'django' }] },
      { name: 'liar', fakeWsgictl: `#!/bin/sh\ncat <<'END'\n${envelope}\nEND\n` },
    ]);
  });
  after(() => fleet?.stop());

  it('700 MiB from one host: that host fails with "output too large", the others are listed, memory bounded', async (t) => {
    const result = await runMeasured(['ps', '--json', ...fleet.args(['h1', 'big', 'h2', 'liar'])]);
    assert.equal(result.code, 6, result.stderr);
    assert.match(
      result.stderr,
      /^wsgictl: big: output too large \(more than 16 MiB on stdout\): ".*wsgictl" there does not answer as wsgictl does/m,
    );
    const records = JSON.parse(result.stdout) as (PsRecord & { host: string })[];
    const daemons = records.filter((r) => r.role === 'daemon').map((r) => [r.host, r.group]);
    // The liar's record is shown under its own name, never as h1's.
    assert.deepEqual(daemons, [
      ['h1', 'django'],
      ['h2', 'django'],
      ['liar', 'django'],
    ]);
    t.diagnostic(`peak memory of the local wsgictl: ${result.rssKib} KiB`);
    assert.ok(result.rssKib < RSS_LIMIT_KIB, `peak memory ${result.rssKib} KiB`);
  });

  it('the table shows the bad host failed and the others listed', async () => {
    const result = await runMeasured(['ps', ...fleet.args(['h1', 'big', 'h2'])]);
    assert.equal(result.code, 6, result.stderr);
    assert.match(result.stdout, /^h1 \(wsgictl [\d.]+\)\napache2 pid \d+/m);
    assert.match(result.stdout, /^big\n {2}failed: output too large \(more than 16 MiB on stdout\)/m);
    assert.match(result.stdout, /^h2 \(wsgictl [\d.]+\)\napache2 pid \d+/m);
  });
});
