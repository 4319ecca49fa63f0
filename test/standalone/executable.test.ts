import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { PsRecord } from '../../src/groups/records.js';
import { startSandbox } from '../../src/sandbox/apache.js';
import type { Sandbox } from '../../src/sandbox/types.js';
import { VERSION } from '../../src/version.js';
import type { WatchEvent } from '../../src/watch/loop.js';
import { apacheSkipReason, requireRoot, waitFor } from '../helpers/apache.js';
import { REPO } from '../helpers/cli.js';
import { buildStandalone, nodeBinaries, runWithoutNode } from '../helpers/standalone.js';

const skip = apacheSkipReason();
/** The Node version the executables carry, as scripts/standalone/pins.mjs pins it. */
const { NODE_VERSION } = (await import(pathToFileURL(join(REPO, 'scripts/standalone/pins.mjs')).href)) as {
  NODE_VERSION: string;
};

/** The daemons of `group` in ps --json's records, by pid. */
const daemonsOf = (records: PsRecord[], group: string) =>
  records
    .filter((record) => record.role === 'daemon' && record.group === group)
    .map((record) => record.pid)
    .sort((a, b) => a - b);

describe('the linux-x64 standalone executable on a server without node (real Apache)', {
  skip,
  timeout: 300_000,
}, () => {
  let exe: string;
  let sandbox: Sandbox | undefined;
  before(async () => {
    requireRoot('the mount namespace that hides node (unshare -m, mount --bind)');
    [exe = ''] = buildStandalone('linux-x64');
    sandbox = await startSandbox({
      argv0: 'apache2',
      groups: [{ name: 'django', processes: 2 }, { name: 'flask' }],
    });
  });
  after(async () => {
    await sandbox?.stop();
  });

  const ps = async (): Promise<PsRecord[]> => {
    const result = await runWithoutNode(exe, ['ps', '--json', '--instance', String(sandbox?.pid)]).done;
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as PsRecord[];
  };

  it('node cannot be found or run in the namespace; the executable says what it is', async () => {
    const nodes = nodeBinaries();
    assert.ok(nodes.length > 0);
    const probe = await runWithoutNode('/bin/sh', [
      '-c',
      `command -v node; for n in ${nodes.join(' ')}; do "$n" --version; done; exit 0`,
    ]).done;
    assert.equal(probe.stdout, '', 'no node on PATH, and no node binary runs');
    assert.equal(probe.stderr.match(/Permission denied/g)?.length, nodes.length, probe.stderr);

    const version = await runWithoutNode(exe, ['--version']).done;
    assert.deepEqual(
      [version.code, version.stdout, version.stderr],
      [0, `wsgictl ${VERSION} (standalone, node ${NODE_VERSION}, linux-x64)\n`, ''],
    );
  });

  it('ps --json: each group with the daemons mod_wsgi says it started, told apart by socket', async () => {
    const records = await ps();
    const started = sandbox?.startedDaemons() ?? new Map<number, string>();
    for (const group of ['django', 'flask']) {
      const logged = [...started].filter(([, name]) => name === group).map(([pid]) => pid);
      assert.deepEqual(
        daemonsOf(records, group),
        logged.sort((a, b) => a - b),
        group,
      );
    }
    assert.equal(daemonsOf(records, 'django').length, 2);
    for (const record of records.filter((r) => r.role === 'daemon')) {
      assert.deepEqual([record.evidence, record.verified, record.instance], ['socket', true, sandbox?.pid]);
    }
  });

  it('reload django replaces both of its daemons and leaves flask alone', async () => {
    const before = await ps();
    const result = await runWithoutNode(exe, [
      'reload',
      'django',
      '--json',
      '--instance',
      String(sandbox?.pid),
    ]).done;
    assert.equal(result.code, 0, result.stderr);
    const [reload] = JSON.parse(result.stdout) as Array<{
      group: string;
      outcome: string;
      oldPids: number[];
      newPids: number[];
    }>;
    assert.deepEqual(
      [reload?.group, reload?.outcome, reload?.oldPids],
      ['django', 'replaced', daemonsOf(before, 'django')],
    );
    const after = await ps();
    assert.deepEqual(
      daemonsOf(after, 'django'),
      [...(reload?.newPids ?? [])].sort((a, b) => a - b),
    );
    assert.equal(
      daemonsOf(after, 'django').some((pid) => daemonsOf(before, 'django').includes(pid)),
      false,
    );
    assert.deepEqual(daemonsOf(after, 'flask'), daemonsOf(before, 'flask'));
  });

  it('watch reloads django on a save, polling (no native watcher inside), and Ctrl-C ends it with 130', async (t) => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'wsgictl-standalone-watch-')));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const before = await ps();
    const watch = runWithoutNode(exe, [
      'watch',
      dir,
      '--group',
      'django',
      '--json',
      '--debounce',
      '50ms',
      '--instance',
      String(sandbox?.pid),
    ]);
    t.after(() => watch.child.kill('SIGKILL'));
    const events = () =>
      watch
        .stdout()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as WatchEvent);
    const ready = await waitFor('the ready line', () => events().find((e) => e.event === 'ready'), 20_000);
    assert.equal(ready.event === 'ready' && ready.mode, 'poll');
    const notice = events().find((e) => e.event === 'error');
    assert.deepEqual(notice?.event === 'error' && [notice.code, notice.warning], ['NO_NATIVE_WATCHER', true]);
    assert.match(
      notice?.event === 'error' ? notice.message : '',
      /^no native file watcher here \(the standalone executable leaves out the native watcher\): polling every 1 s/,
    );
    writeFileSync(join(dir, 'views.py'), 'x = 1\n');
    const reload = await waitFor('a reload', () => events().find((e) => e.event === 'reload'), 20_000);
    assert.ok(reload.event === 'reload' && reload.action === 'group');
    assert.deepEqual(
      [reload.files, reload.group, reload.outcome, reload.oldPids],
      [[join(dir, 'views.py')], 'django', 'replaced', daemonsOf(before, 'django')],
    );
    watch.child.kill('SIGINT');
    const end = await watch.done;
    assert.equal(end.code, 130, end.stderr);
  });
});

/** qemu-user (Debian's qemu-user-static) and the arm64 C libraries it runs the file with. */
const QEMU = '/usr/bin/qemu-aarch64-static';
const ARM64_ROOT = '/usr/aarch64-linux-gnu';

describe('the linux-arm64 standalone executable under qemu-aarch64-static', { timeout: 300_000 }, () => {
  it('prints its --version', (t) => {
    // Both come from .ci/run's packages (qemu-user-static, libc6-arm64-cross, libstdc++6-arm64-cross).
    if (!existsSync(QEMU) || !existsSync(join(ARM64_ROOT, 'lib/ld-linux-aarch64.so.1'))) {
      const reason = `needs ${QEMU} and ${ARM64_ROOT} (apt-get install qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross)`;
      if (process.env.WSGICTL_REQUIRE_APACHE === '1')
        assert.fail(`WSGICTL_REQUIRE_APACHE=1 (CI) but it ${reason}`);
      t.skip(reason);
      return;
    }
    const [exe = ''] = buildStandalone('linux-arm64');
    const result = spawnSync(QEMU, ['-L', ARM64_ROOT, exe, '--version'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.deepEqual(
      [result.status, result.stdout, result.stderr],
      [0, `wsgictl ${VERSION} (standalone, node ${NODE_VERSION}, linux-arm64)\n`, ''],
    );
  });
});
