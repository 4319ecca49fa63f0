import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { httpGet } from '../../src/http.js';
import { startSandbox } from '../../src/sandbox/apache.js';
import type { Sandbox } from '../../src/sandbox/types.js';
import type { TopGroup, TopSnapshot } from '../../src/top/types.js';
import { apacheSkipReason, requireRoot, waitFor } from '../helpers/apache.js';
import { waitForEveryDaemon } from '../helpers/app.js';
import { interruptWhen, NOBODY, REPO, type RunOptions, runCli, startCli } from '../helpers/cli.js';
import { hasTmux, startTmux } from '../helpers/tmux.js';

const skip = apacheSkipReason();

/** A WSGI app that keeps its CPU busy for ?ms=N, then answers its pid. */
const SPIN = `import os, time

def application(environ, start_response):
    ms = int(environ.get('QUERY_STRING', 'ms=0')[3:] or 0)
    end = time.time() + ms / 1000.0
    while time.time() < end:
        pass
    body = ('%d\\n' % os.getpid()).encode()
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [body]
`;

/** Busy for 3 s on its own. */
const SPIN_ALONE = 'import time\nend = time.time() + 3\nwhile time.time() < end:\n    pass\n';

/** utime + stime of a process, in clock ticks (USER_HZ, 100 a second). */
function readCpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return Number(fields[11]) + Number(fields[12]);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('wsgictl top against a real Apache', { skip, timeout: 180_000 }, () => {
  let sandbox: Sandbox;
  let dir: string;
  let instance: string[];

  const top = async (args: string[], options: RunOptions = {}): Promise<TopSnapshot> => {
    const result = await runCli(['top', '--once', '--json', ...instance, ...args], options);
    assert.equal(result.code, 0, result.stderr);
    return JSON.parse(result.stdout) as TopSnapshot;
  };
  const groupOf = (snapshot: TopSnapshot, name: string): TopGroup => {
    const group = snapshot.groups.find((each) => each.group === name);
    assert.ok(group, `group ${name} in ${JSON.stringify(snapshot.groups.map((each) => each.group))}`);
    return group;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wsgictl-top-'));
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'spin.wsgi'), SPIN, { mode: 0o644 });
    // As an app can once WSGIRestrictSignal Off lets it (see test/helpers/signal-app.ts).
    writeFileSync(join(dir, 'deaf.py'), 'import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n', {
      mode: 0o644,
    });
    const quietPort = await freePort();
    sandbox = await startSandbox({
      groups: [
        { name: 'web', processes: 2 },
        { name: 'once', processes: 1, options: 'maximum-requests=1' },
        { name: 'stubborn', processes: 1 },
      ],
      // A group in a virtual host of its own whose LogLevel hides mod_wsgi's info lines.
      extraConfig: [
        'WSGIRestrictSignal Off',
        `WSGIImportScript ${dir}/deaf.py process-group=stubborn application-group=%{GLOBAL}`,
        `WSGIScriptAlias /spin ${dir}/spin.wsgi process-group=web application-group=%{GLOBAL}`,
        `<Directory ${dir}>`,
        '  Require all granted',
        '</Directory>',
        `Listen 127.0.0.1:${quietPort}`,
        `<VirtualHost 127.0.0.1:${quietPort}>`,
        '  LogLevel warn',
        '  WSGIDaemonProcess quiet processes=1 threads=1 display-name=%{GROUP}',
        '</VirtualHost>',
      ].join('\n'),
    });
    instance = ['--instance', String(sandbox.pid)];
    await waitForEveryDaemon(sandbox, 'web', 2);
  });
  after(async () => {
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('--once --json lists every group and member with its figures; the hidden restarts are said, not 0', async () => {
    requireRoot('reading the daemons’ sockets (requests in flight)');
    // The maximum-requests=1 group restarts after each request (the sandbox's readiness check is one).
    const snapshot = await waitFor('every group up', async () => {
      const read = await top([]);
      return read.groups.every((group) => group.up === group.configured) ? read : undefined;
    });
    assert.equal(snapshot.cpuWindow, 'lifetime');
    assert.deepEqual(
      snapshot.groups.map((group) => [group.group, group.up, group.configured]),
      [
        ['web', 2, 2],
        ['once', 1, 1],
        ['stubborn', 1, 1],
        ['quiet', 1, 1],
      ],
    );
    for (const group of snapshot.groups) {
      assert.equal(group.instance, sandbox.pid);
      assert.equal(group.inFlight, 0);
      assert.ok((group.rssBytes ?? 0) > 1_000_000, `${group.group} rss ${group.rssBytes}`);
      for (const member of group.members) {
        assert.ok(member.pid > 0 && member.uptimeMs >= 0);
        assert.equal(typeof member.cpuPercent, 'number');
        assert.ok((member.rssBytes ?? 0) > 1_000_000);
        assert.ok((member.threads ?? 0) >= 1, `threads ${member.threads}`);
        assert.equal(member.inFlight, 0);
        assert.equal(member.state, group.group === 'stubborn' ? 'ignoring SIGINT' : 'idle');
      }
    }
    const quiet = groupOf(snapshot, 'quiet');
    assert.equal(quiet.restarts, null);
    assert.match(quiet.restartsUnknown ?? '', /LogLevel warn hides mod_wsgi's restart lines/);
    assert.equal(groupOf(snapshot, 'web').restarts, 0);
    assert.deepEqual(snapshot.notes, []);

    const table = await runCli(['top', '--once', ...instance]);
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^ {2}INSTANCE +GROUP +UP +CPU% +RSS +INFLIGHT +RESTARTS\/1h +LAST RESTART$/m);
    assert.match(table.stdout, new RegExp(`^ {2}${sandbox.pid} +web +2/2 `, 'm'));
    assert.match(table.stdout, new RegExp(`^ {2}${sandbox.pid} +quiet +1/1 .* \\? *$`, 'm'));
    assert.equal(table.stdout.match(/LogLevel warn hides/g)?.length, 1);
  });

  it('a slow request shows 1 in flight on exactly the daemon serving it', async () => {
    requireRoot('reading the daemons’ sockets (requests in flight)');
    const slow = httpGet(sandbox.url('web', '?sleep=4000'), 10_000);
    const busy = await waitFor(
      'a request in flight',
      async () => {
        const members = groupOf(await top(['web']), 'web').members;
        return members.some((member) => member.inFlight === 1) ? members : undefined;
      },
      4000,
    );
    const reply = await slow;
    const servedBy = Number(reply.body.trim().split(' ')[1]);
    assert.deepEqual(
      busy.map((member) => [member.pid, member.inFlight, member.state]),
      busy.map((member) => (member.pid === servedBy ? [member.pid, 1, 'serving'] : [member.pid, 0, 'idle'])),
    );
  });

  it('a daemon told to stop gracefully while it serves shows as draining, then as a restart with reason reload', async () => {
    requireRoot('reading the daemons’ sockets and signalling them');
    const before = groupOf(await top(['web']), 'web').restarts ?? -1;
    const slow = httpGet(sandbox.url('web', '?sleep=3000'), 10_000);
    const serving = await waitFor(
      'a request in flight',
      async () => groupOf(await top(['web']), 'web').members.find((member) => member.inFlight === 1),
      4000,
    );
    // SIGUSR1: mod_wsgi logs "Process eviction requested, waiting for requests to complete" and drains.
    process.kill(serving.pid, 'SIGUSR1');
    await waitFor('the daemon draining', async () => {
      const member = groupOf(await top(['web']), 'web').members.find((each) => each.pid === serving.pid);
      return member?.state === 'draining';
    });
    assert.equal((await slow).status, 200);
    const web = await waitFor('its restart', async () => {
      const group = groupOf(await top(['web']), 'web');
      return group.restarts === before + 1 && group.up === 2 ? group : undefined;
    });
    assert.deepEqual([web.lastRestart?.pid, web.lastRestart?.reason], [serving.pid, 'reload']);
  });

  it('a busy loop in one daemon shows its CPU near 100%, the others near 0', async (t) => {
    // A busy loop of our own, beside it, says what one busy process gets on this machine now: on a shared,
    // loaded machine that is well under 100%, and the bound follows it (at least 60% of it).
    const reference = spawn('/usr/bin/python3', ['-c', SPIN_ALONE], { stdio: 'ignore' });
    const spin = httpGet(`http://127.0.0.1:${sandbox.port}/spin?ms=3000`, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const startMs = Date.now();
    const startTicks = readCpuTicks(reference.pid as number);
    const snapshot = await top(['--interval', '1s']);
    const referencePercent =
      ((readCpuTicks(reference.pid as number) - startTicks) * 1000) / (Date.now() - startMs);
    reference.kill('SIGKILL');
    const spinner = Number((await spin).body.trim());
    assert.equal(snapshot.cpuWindow, 'interval');
    const members = snapshot.groups.flatMap((group) => group.members);
    assert.ok(
      members.some((member) => member.pid === spinner),
      `pid ${spinner} among the members`,
    );
    const bound = Math.min(50, 0.6 * referencePercent);
    t.diagnostic(
      `one busy process gets ${referencePercent.toFixed(0)}% here now: bound ${bound.toFixed(0)}%`,
    );
    assert.ok(
      referencePercent > 10,
      `the machine is too loaded to tell: a busy loop got ${referencePercent}%`,
    );
    const others = members.filter((member) => member.pid !== spinner);
    const spinning = members.find((member) => member.pid === spinner)?.cpuPercent ?? 0;
    assert.ok(spinning > bound, `spinner at ${spinning}% (bound ${bound}%)`);
    for (const member of others) {
      assert.ok((member.cpuPercent ?? 100) < 20, `pid ${member.pid} at ${member.cpuPercent}%`);
      assert.ok(
        spinning > 3 * (member.cpuPercent ?? 100),
        `spinner ${spinning}% against ${member.cpuPercent}%`,
      );
    }
  });

  it('a reload shows as restarts +N with reason reload; maximum-requests=1 as restarts with its reason', async () => {
    const before = groupOf(await top(['web', 'once']), 'web').restarts ?? -1;
    const reload = await runCli(['reload', 'web', ...instance]);
    assert.equal(reload.code, 0, reload.stderr);
    const web = await waitFor('the reload’s restarts', async () => {
      const group = groupOf(await top(['web']), 'web');
      return group.restarts === before + 2 ? group : undefined;
    });
    assert.equal(web.lastRestart?.reason, 'reload');
    assert.equal(web.reasons.reload, before + 2);

    for (let i = 0; i < 2; i++) assert.equal((await httpGet(sandbox.url('once'), 10_000)).status, 200);
    const once = await waitFor('maximum-requests restarts', async () => {
      const group = groupOf(await top(['once']), 'once');
      return (group.restarts ?? 0) >= 2 ? group : undefined;
    });
    assert.equal(once.lastRestart?.reason, 'maximum-requests');
    assert.deepEqual(Object.keys(once.reasons), ['maximum-requests']);
  });

  it('as nobody: the figures that need root are null and said once', async () => {
    const snapshot = await top(['web'], NOBODY);
    const web = groupOf(snapshot, 'web');
    assert.equal(web.up, 2);
    assert.equal(web.inFlight, null);
    assert.ok(web.members.every((member) => member.inFlight === null && member.state === 'unknown'));
    assert.ok(web.members.every((member) => typeof member.cpuPercent === 'number'));
    assert.equal(snapshot.notes.length, 1);
    assert.match(snapshot.notes[0] ?? '', /requests in flight and member states need root/);
  });

  it('the live view in a real terminal: rows drawn, selection moves, r + y reloads, resize, l, q restores', async (t) => {
    requireRoot('reloading the group and reading its sockets');
    if (!hasTmux()) throw new Error('this test needs tmux (apt-get install tmux)');
    const web = groupOf(await top(['web']), 'web');
    const oldPids = web.members.map((member) => member.pid);
    const pid = sandbox.pid;
    const screen = startTmux(
      `${process.execPath} ${join(REPO, 'bin/wsgictl.js')} top --instance ${pid} --interval 500ms; echo "top exited $?"; sleep 60`,
      120,
      40,
      { NO_COLOR: '1' },
    );
    t.after(() => screen.kill());
    const shows = (what: string, pattern: RegExp) =>
      waitFor(what, () => screen.capture().some((line) => pattern.test(line)), 10_000);
    await shows('the first group selected', new RegExp(`^> ${pid} +web +2/2 `));
    assert.ok(screen.capture().some((line) => new RegExp(`^ {2}${pid} +once +`).test(line)));
    assert.equal(screen.alternateScreen(), true);
    // NO_COLOR: not even the selection's inverse video.
    assert.ok(!screen.capture(true).some((line) => line.includes('\x1b[7m')));

    screen.sendKeys('Down');
    await shows('the selection on the second group', new RegExp(`^> ${pid} +once `));
    screen.sendKeys('Up');
    await shows('the selection back on web', new RegExp(`^> ${pid} +web `));
    screen.sendKeys('Enter');
    for (const member of oldPids) await shows(`member ${member} expanded`, new RegExp(`^ {4}${member} +`));

    screen.resize(80, 20);
    await waitFor('the status line on the last row of 20', () => {
      const rows = screen.capture();
      return rows.length === 20 && /r reload/.test(rows[19] ?? '');
    });

    screen.sendKeys('r');
    await shows('the confirmation', new RegExp(`^reload web \\(Apache pid ${pid}\\)\\? y/n`));
    screen.sendKeys('y');
    await shows('the reload’s result', new RegExp(`^reloaded web: ${oldPids.join(' ')} -> \\d+ \\d+ in `));
    const now = groupOf(await top(['web']), 'web').members.map((member) => member.pid);
    assert.equal(now.length, 2);
    assert.ok(
      now.every((member) => !oldPids.includes(member)),
      `${now} replaced ${oldPids}`,
    );

    screen.sendKeys('l');
    await shows('the group’s last log lines', /^last lines of web \(any key returns\)$/);
    await shows('a line of the log', /^\[.*\] \[wsgi:info\] \[pid \d+/);
    screen.sendKeys('x');
    await shows('the table again', new RegExp(`^> ${pid} +web `));

    screen.sendKeys('q');
    await shows('the shell after top', /^top exited 0$/);
    assert.equal(screen.alternateScreen(), false);
    assert.ok(!screen.capture().some((line) => /INSTANCE +GROUP/.test(line)));
  });

  it('--json streams one document per interval, one line each, until Ctrl-C (exit 130)', async () => {
    const running = startCli(['top', '--json', '--interval', '300ms', 'web', ...instance]);
    const result = await interruptWhen(running, /^(?:.*\n){2}/);
    assert.equal(result.code, 130, result.stderr);
    const documents = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as TopSnapshot);
    assert.ok(documents.length >= 2);
    assert.deepEqual(
      documents.slice(0, 2).map((each) => [each.cpuWindow, each.groups.map((group) => group.group)]),
      [
        ['lifetime', ['web']],
        ['interval', ['web']],
      ],
    );
    assert.ok((documents[1]?.windowMs ?? 0) >= 300);
  });

  it('bad input: an unknown group exits 3, a bad interval and --host with --instance exit 2, an unknown instance 3', async () => {
    const unknown = await runCli(['top', '--once', 'nope', ...instance]);
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, /no group "nope" .*groups are web, once/);
    const interval = await runCli(['top', '--once', '--interval', 'soon', ...instance]);
    assert.equal(interval.code, 2);
    assert.match(interval.stderr, /--interval "soon" is not a duration/);
    const host = await runCli(['top', '--once', '--host', 'h1', '--instance', '4']);
    assert.equal(host.code, 2);
    assert.match(host.stderr, /--instance cannot be used with --host/);
    const gone = await runCli(['top', '--once', '--instance', '999999999']);
    assert.equal(gone.code, 3);
    assert.match(gone.stderr, /no trusted Apache instance has parent pid 999999999/);
  });
});
