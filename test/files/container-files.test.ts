import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { apacheSkipReason, requireRoot, useSandbox } from '../helpers/apache.js';
import { runCli } from '../helpers/cli.js';

const skip = apacheSkipReason();
const MARKER = 'HOST-SECRET-7c1f';

/**
 * A root-only folder on the host with a configuration and an error log the container must not reach: a
 * tmpfs mounted over it in the container's mount namespace hides it there, as a container's own root would.
 */
function plantHostSecret(t: { after: (fn: () => void) => void }, containerPid: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'wt-safe-files-secret-'));
  chmodSync(dir, 0o700);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'secret.conf'), `WSGIDaemonProcess ${MARKER.toLowerCase()}\n`);
  const line = `[Wed Dec 02 10:00:00.000000 2026] [wsgi:error] [pid 1:tid 1] ${MARKER} of 'tenant'`;
  writeFileSync(join(dir, 'secret.log'), `${line}\nmod_wsgi (pid=1): Starting process 'tenant' ${MARKER}\n`);
  execFileSync('nsenter', ['-t', String(containerPid), '-m', 'mount', '-t', 'tmpfs', 'hide', dir]);
  return dir;
}

describe('a container’s paths are resolved inside the container (finding 5)', {
  skip,
  timeout: 120_000,
}, () => {
  it('an absolute symlink and a leading /.. in its config reach nothing of the host: logs and ps print no secret', async (t) => {
    requireRoot('unshare and nsenter');
    const sandbox = await useSandbox(t, { argv0: 'apache2', namespaces: true, groups: [{ name: 'tenant' }] });
    const secret = plantHostSecret(t, sandbox.pid);
    // What the container controls, written through its root: links to the host's paths, which inside the
    // container are an empty tmpfs.
    const inside = `/proc/${sandbox.pid}/root`;
    const confDir = join(sandbox.configFile, '..');
    symlinkSync(join(secret, 'secret.conf'), `${inside}${confDir}/evil.conf`);
    symlinkSync(join(secret, 'secret.log'), `${inside}${confDir}/evil.log`);
    appendFileSync(
      `${inside}${sandbox.configFile}`,
      `\nInclude ${confDir}/evil.conf\nErrorLog ${confDir}/evil.log\n`,
    );
    const instance = ['--instance', String(sandbox.pid)];

    const linked = await runCli(['logs', 'tenant', '-n', '50', ...instance]);
    assert.doesNotMatch(linked.stdout + linked.stderr, new RegExp(MARKER));
    assert.match(linked.stderr, /evil\.log.*no such file|no error log of "tenant" can be read/);
    const ps = await runCli(['ps', ...instance]);
    assert.doesNotMatch(ps.stdout + ps.stderr, new RegExp(MARKER, 'i'));
    assert.match(ps.stdout, /tenant/);

    // `..` above the container's root stops at it, as the kernel does inside the container.
    appendFileSync(`${inside}${sandbox.configFile}`, `ErrorLog /../../../../..${secret}/secret.log\n`);
    const dotted = await runCli(['logs', 'tenant', '-n', '50', ...instance]);
    assert.doesNotMatch(dotted.stdout + dotted.stderr, new RegExp(MARKER));
  });
});
