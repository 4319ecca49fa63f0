import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { discoverInstances } from '../../src/groups/discover.js';
import type { PsRecord } from '../../src/groups/records.js';
import { createProcessSource } from '../../src/processes/index.js';
import { reloadGroups } from '../../src/reload/index.js';
import type { GroupReloadResult, ReloadEvent } from '../../src/reload/types.js';
import { apacheSkipReason, requireRoot, useSandbox, waitFor } from '../helpers/apache.js';
import { NOBODY, psJson, runCli } from '../helpers/cli.js';
import { lifecyclePattern } from '../helpers/wording.js';

const skip = apacheSkipReason();

function pidsOf(records: PsRecord[], filter: (record: PsRecord) => boolean): number[] {
  return records
    .filter(filter)
    .map((record) => record.pid)
    .sort((a, b) => a - b);
}

async function reloadJson(
  args: string[],
): Promise<{ code: number | null; results: GroupReloadResult[]; stderr: string }> {
  const result = await runCli(['reload', '--json', ...args]);
  return {
    code: result.code,
    results: result.stdout ? (JSON.parse(result.stdout) as GroupReloadResult[]) : [],
    stderr: result.stderr,
  };
}

describe('reload against a real Apache with cut display-names', { skip }, () => {
  it('replaces exactly the named group: other group, parent and workers untouched', async (t) => {
    const sandbox = await useSandbox(t, {
      argv0: 'apache2',
      groups: [
        { name: 'django', processes: 3 },
        { name: 'djangoadmin', processes: 1 },
      ],
    });
    const before = await psJson(sandbox.pid);
    const django = pidsOf(before, (r) => r.group === 'django');
    const others = pidsOf(before, (r) => r.group !== 'django');
    assert.equal(django.length, 3);

    const { code, results, stderr } = await reloadJson(['django', '--instance', String(sandbox.pid)]);
    assert.equal(code, 0, stderr);
    assert.equal(results.length, 1);
    const [result] = results;
    assert.deepEqual([result?.group, result?.signal, result?.outcome], ['django', 'SIGINT', 'replaced']);
    assert.deepEqual(
      [...(result?.oldPids ?? [])].sort((a, b) => a - b),
      django,
    );

    const after = await psJson(sandbox.pid);
    const fresh = pidsOf(after, (r) => r.group === 'django');
    assert.equal(fresh.length, 3);
    assert.deepEqual(
      fresh,
      [...(result?.newPids ?? [])].sort((a, b) => a - b),
    );
    for (const pid of fresh) {
      assert.ok(!django.includes(pid));
      assert.equal(sandbox.startedDaemons().get(pid), 'django', `mod_wsgi started ${pid} for django`);
    }
    for (const pid of others) {
      assert.ok(
        after.some((r) => r.pid === pid),
        `pid ${pid} outside the group survived`,
      );
    }
    const log = readFileSync(sandbox.errorLog, 'utf8');
    for (const pid of django) {
      assert.match(log, lifecyclePattern(sandbox.wsgiVersion, 'shutdown', 'django', { pid }));
      assert.doesNotMatch(log, lifecyclePattern(sandbox.wsgiVersion, 'eviction', 'django', { pid }));
    }
  });

  it('--graceful sends SIGUSR1 and the group comes back', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django', processes: 2 }] });
    const { code, results } = await reloadJson(['django', '--graceful', '--instance', String(sandbox.pid)]);
    assert.equal(code, 0);
    assert.deepEqual(
      [results[0]?.signal, results[0]?.outcome, results[0]?.newPids.length],
      ['SIGUSR1', 'replaced', 2],
    );
    // mod_wsgi logs a SIGUSR1 as an eviction (4.x, 5.x) or a graceful restart (6.x); a SIGINT as a shutdown.
    const log = readFileSync(sandbox.errorLog, 'utf8');
    for (const pid of results[0]?.oldPids ?? []) {
      assert.match(log, lifecyclePattern(sandbox.wsgiVersion, 'eviction', 'django', { pid }));
    }
  });

  it('rolling: one process down at a time, and no request lost under ab -c 8', async (t) => {
    const sandbox = await useSandbox(t, {
      argv0: 'apache2',
      groups: [{ name: 'django', processes: 3, threads: 4 }],
    });
    // -l: the body names the pid that served it, whose digits change when pids wrap (pid_max 32768 here).
    const ab = spawn(
      'ab',
      ['-l', '-t', '12', '-n', '100000', '-c', '8', sandbox.url('django', '/?sleep=100')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    t.after(() => ab.kill());
    let report = '';
    ab.stdout.setEncoding('utf8').on('data', (chunk: string) => (report += chunk));
    const abDone = new Promise<number | null>((resolve) => ab.on('close', resolve));

    const events: ReloadEvent[] = [];
    const [result] = await reloadGroups(
      createProcessSource(),
      { groups: ['django'], instance: sandbox.pid, rolling: true },
      { onEvent: (event) => events.push(event) },
    );
    const loadStillRunning = ab.exitCode === null && ab.signalCode === null;
    assert.equal(result?.outcome, 'replaced');
    assert.equal(result?.newPids.length, 3);
    assert.deepEqual(
      events.map((event) => event.type),
      ['signalled', 'replaced', 'signalled', 'replaced', 'signalled', 'replaced'],
    );

    assert.equal(await abDone, 0, report);
    assert.ok(loadStillRunning, 'the whole rolling reload ran under load');
    const complete = Number(/Complete requests:\s+(\d+)/.exec(report)?.[1]);
    assert.ok(complete > 50, `ab completed ${complete} requests`);
    assert.match(report, /Failed requests:\s+0\n/);
    assert.doesNotMatch(report, /Non-2xx responses/);
  });

  it('skips a process that exited between the scan and its signal', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django', processes: 2 }] });
    const source = createProcessSource();
    const [instance] = await discoverInstances(source, { instance: sandbox.pid });
    const [first, second] = (instance?.groups[0]?.members ?? [])
      .map((member) => member.process.pid)
      .sort((a, b) => a - b);
    assert.ok(first && second);
    const sent: number[] = [];
    const results = await reloadGroups(
      source,
      { groups: ['django'], instance: sandbox.pid },
      {
        kill: (pid, signal) => {
          if (signal !== 0 && sent.length === 0) {
            // Before the first signal goes out, the other daemon dies on its own.
            process.kill(second, 'SIGKILL');
            while (readStat(second)?.includes(') Z') === false);
          }
          if (signal !== 0) sent.push(pid);
          process.kill(pid, signal);
        },
      },
    );
    assert.deepEqual(sent, [first]);
    assert.deepEqual(results[0]?.skipped, [{ pid: second, reason: 'exited before it was signalled' }]);
    assert.equal(results[0]?.outcome, 'replaced');
  });

  it('a group present in two instances is reloaded in each, --instance narrows', async (t) => {
    // A name no other Apache on this machine has: the first reload names no instance.
    const name = `twin${process.pid}`;
    const groups = [{ name, processes: 1 }];
    const [one, two] = await Promise.all([
      useSandbox(t, { argv0: 'apache2', groups }),
      useSandbox(t, { argv0: 'apache2', groups }),
    ]);
    const both = await reloadJson([name]);
    assert.equal(both.code, 0, both.stderr);
    assert.deepEqual(both.results.map((r) => r.instance).sort(), [one.pid, two.pid].sort());
    const narrowed = await reloadJson([name, '--instance', String(two.pid), '--dry-run']);
    assert.deepEqual(
      narrowed.results.map((r) => [r.instance, r.outcome]),
      [[two.pid, 'dry-run']],
    );
    const human = await runCli(['reload', name, '--instance', String(one.pid)]);
    assert.match(
      human.stdout,
      new RegExp(
        `${name} \\(Apache pid ${one.pid}\\): SIGINT, 1 process\\n\\s+\\d+ -> \\d+\\n\\s+replaced in`,
      ),
    );
  });

  it('--all --no-wait signals every group and returns; the parent replaces them afterwards', async (t) => {
    const sandbox = await useSandbox(t, {
      argv0: 'apache2',
      groups: [{ name: 'django' }, { name: 'flask' }],
    });
    const { code, results } = await reloadJson(['--all', '--no-wait', '--instance', String(sandbox.pid)]);
    assert.equal(code, 0);
    assert.deepEqual(
      results.map((r) => [r.group, r.outcome, r.newPids.length]),
      [
        ['django', 'sent', 0],
        ['flask', 'sent', 0],
      ],
    );
    const old = results.flatMap((r) => r.oldPids);
    const fresh = await waitFor('two new daemons', async () => {
      const daemons = pidsOf(await psJson(sandbox.pid), (r) => r.role === 'daemon');
      return daemons.length === 2 && daemons.every((pid) => !old.includes(pid)) && daemons;
    });
    assert.deepEqual(fresh.map((pid) => sandbox.startedDaemons().get(pid)).sort(), ['django', 'flask']);
  });

  it('--touch with --url restarts the group without a signal and confirms the new pids', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django', processes: 2 }] });
    const { code, results, stderr } = await reloadJson([
      'django',
      '--instance',
      String(sandbox.pid),
      '--touch',
      sandbox.scriptFile,
      '--url',
      sandbox.url('django'),
    ]);
    assert.equal(code, 0, stderr);
    assert.deepEqual(
      [results[0]?.signal, results[0]?.outcome, results[0]?.newPids.length],
      ['touch', 'replaced', 2],
    );
    for (const pid of results[0]?.newPids ?? []) assert.ok(!results[0]?.oldPids.includes(pid));
  });
});

function readStat(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return null;
  }
}

describe('reload refuses what it may not or cannot do', { skip }, () => {
  it('as nobody: exit 4 naming the owner and the way out, and nothing changes', async (t) => {
    requireRoot('running wsgictl as nobody');
    const sandbox = await useSandbox(t, {
      argv0: '/usr/sbin/apache2',
      groups: [{ name: 'django', processes: 2 }],
    });
    const before = pidsOf(await psJson(sandbox.pid), (r) => r.group === 'django');
    const result = await runCli(['reload', 'django', '--instance', String(sandbox.pid)], NOBODY);
    assert.equal(result.code, 4);
    assert.match(
      result.stderr,
      /^wsgictl: not allowed to signal django \(processes run as www-data; nothing was sent\): run with sudo or as www-data, or use --touch SCRIPT/,
    );
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.deepEqual(
      pidsOf(await psJson(sandbox.pid), (r) => r.group === 'django'),
      before,
    );

    const touch = await runCli(
      ['reload', 'django', '--instance', String(sandbox.pid), '--touch', sandbox.scriptFile],
      NOBODY,
    );
    assert.equal(touch.code, 4);
    assert.match(
      touch.stderr,
      /may not change .*app\.wsgi \((EACCES|EPERM)\): run as its owner, or with sudo/,
    );
  });

  it('exit 3 for an unknown group, 2 for a bad signal, duration or missing group', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django' }] });
    const instance = ['--instance', String(sandbox.pid)];
    const unknown = await runCli(['reload', 'flask', ...instance]);
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, /no group "flask" under apache2 \(pid \d+\): groups are django/);
    const badSignal = await runCli(['reload', 'django', '--signal', 'KILL', ...instance]);
    assert.equal(badSignal.code, 2);
    assert.match(badSignal.stderr, /use one of INT \(2\), TERM \(15\), USR1 \(10\)/);
    const badTimeout = await runCli(['reload', 'django', '--timeout', 'soon', ...instance]);
    assert.equal(badTimeout.code, 2);
    const none = await runCli(['reload']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /name a group to reload/);
    const missingScript = await runCli(['reload', 'django', '--touch', '/nonexistent/app.wsgi', ...instance]);
    assert.equal(missingScript.code, 2);
    for (const result of [unknown, badSignal, badTimeout, none, missingScript]) {
      assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    }
    assert.equal(sandbox.startedDaemons().size, 1, 'nothing was restarted');
  });
});
