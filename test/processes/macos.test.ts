import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { PLAIN } from '../../src/cli/color.js';
import { renderPs } from '../../src/cli/render/ps.js';
import { WsgictlError } from '../../src/errors.js';
import { discoverApache, discoverInstances } from '../../src/groups/discover.js';
import { toPsRecords } from '../../src/groups/records.js';
import { createProcessSource } from '../../src/processes/index.js';
import { boundPaths, lsofArguments, parseLsofFields } from '../../src/processes/lsof.js';
import { parseLstart, parsePsStat, parsePsText, splitArgv } from '../../src/processes/macos-ps-parse.js';
import { planReload } from '../../src/reload/plan.js';
import { macFixture, macRoot, macSource, removeRoot } from './macos-fakes.js';

const NOT_US = { self: 999_999 };
const ALICE = 501;

const BREW_RUN = '/opt/homebrew/var/run/httpd/wsgi.612.0.';
const HOMEBREW_CONF = `ServerRoot "/opt/homebrew/opt/httpd"
Listen 8080
User _www
Group _www
WSGISocketPrefix /opt/homebrew/var/run/httpd/wsgi
WSGIDaemonProcess django display-name=%{GROUP}
WSGIDaemonProcess djangoadmin display-name=%{GROUP}
WSGIDaemonProcess flask
`;

const SYSTEM_RUN = '/private/var/run/wsgi.700.0.';
const SYSTEM_CONF = `ServerRoot "/usr"
Listen 80
User _www
Group _www
WSGISocketPrefix /private/var/run/wsgi
WSGIDaemonProcess reporting display-name=%{GROUP}
WSGIDaemonProcess reporting-api display-name=%{GROUP}
WSGIDaemonProcess flask
`;

const EXPRESS_ROOT = '/var/tmp/mod_wsgi-localhost:8000:501';
// The parts of mod_wsgi-express's generated httpd.conf (src/express/apache.py) that decide the groups.
const EXPRESS_CONF = `ServerRoot '${EXPRESS_ROOT}'
PidFile '${EXPRESS_ROOT}/httpd.pid'
<IfDefine !MOD_WSGI_MPM_ENABLE_WINNT_MODULE>
<IfDefine MOD_WSGI_WITH_SOCKET_PREFIX>
WSGISocketPrefix /nowhere/wsgi
</IfDefine>
<IfDefine !MOD_WSGI_WITH_SOCKET_PREFIX>
WSGISocketPrefix ${EXPRESS_ROOT}/wsgi
</IfDefine>
WSGISocketRotation Off
</IfDefine>
<IfDefine !ONE_PROCESS>
<IfDefine !EMBEDDED_MODE>
WSGIRestrictEmbedded On
<IfDefine MOD_WSGI_MULTIPROCESS>
WSGIDaemonProcess 'localhost:8000' display-name='(wsgi:localhost:8000:501)' processes=2 threads=5
</IfDefine>
<IfDefine !MOD_WSGI_MULTIPROCESS>
WSGIDaemonProcess 'localhost:8000' display-name='(wsgi:localhost:8000:501)' threads=5
</IfDefine>
</IfDefine>
</IfDefine>
`;

const roots: string[] = [];
after(() => {
  for (const root of roots) removeRoot(root);
});

function homebrewRoot(): string {
  const root = macRoot(
    { '/opt/homebrew/etc/httpd/httpd.conf': HOMEBREW_CONF },
    [1, 2, 3].map((id) => `${BREW_RUN}${id}.sock`),
  );
  roots.push(root);
  return root;
}

function systemRoot(): string {
  const root = macRoot(
    { '/etc/apache2/httpd.conf': SYSTEM_CONF },
    [1, 2, 3].map((id) => `${SYSTEM_RUN}${id}.sock`),
  );
  roots.push(root);
  return root;
}

function daemons(members: { process: { pid: number }; role: string; group: string | null; via: string }[]) {
  return members.filter((m) => m.role === 'daemon').map((m) => [m.process.pid, m.group, m.via]);
}

describe('Apple ps output', () => {
  it('is what darwin gets, not ps-list (whose name is argv[0] there, so daemons were dropped)', () => {
    assert.equal(createProcessSource('darwin').platform, 'macos');
    assert.equal(createProcessSource('darwin').os, 'darwin');
  });

  it('reads the stat columns: ucomm without its padding, lstart in local time, rss in KiB', () => {
    const [launchd, parent] = parsePsStat(macFixture('homebrew', 'ps-stat.txt'));
    assert.deepEqual(launchd, {
      pid: 1,
      ppid: 0,
      uid: 0,
      rssKiB: 13456,
      lstart: 'Fri Nov 20 08:00:00 2026',
      ucomm: 'launchd',
    });
    assert.equal(parent?.ucomm, 'httpd');
    assert.equal(
      parseLstart('Sun Nov  1 07:05:09 2026')?.getTime(),
      new Date(2026, 10, 1, 7, 5, 9).getTime(),
    );
    assert.equal(parseLstart('yesterday'), null);
  });

  it("keeps argv[0] whole, with mod_wsgi's padding and the spaces of a renamed httpd", () => {
    const comm = parsePsText(macFixture('homebrew', 'ps-comm.txt'));
    const args = parsePsText(macFixture('homebrew', 'ps-args.txt'));
    const daemon = splitArgv(comm.get(640) ?? '', args.get(640) ?? '');
    assert.deepEqual(daemon, [`(wsgi:django)${' '.repeat(20)}`, '-D', 'FOREGROUND']);
    assert.equal(daemon[0]?.length, '/opt/homebrew/opt/httpd/bin/httpd'.length);

    const express = parsePsText(macFixture('express', 'ps-comm.txt')).get(800) ?? '';
    const line = parsePsText(macFixture('express', 'ps-args.txt')).get(800) ?? '';
    const argv = splitArgv(express, line);
    assert.equal(argv[0], 'httpd (mod_wsgi-express) ');
    assert.deepEqual(argv.slice(1, 3), ['-f', `${EXPRESS_ROOT}/httpd.conf`]);
    assert.deepEqual(splitArgv('(httpd)', '(httpd)'), ['(httpd)']);
  });
});

describe('lsof field output', () => {
  it('asks once for every pid and reads p/f/n sets into bound paths per pid', () => {
    assert.deepEqual(lsofArguments([612, 640]), ['-nP', '-w', '-U', '-a', '-p', '612,640', '-F', 'pn']);
    const sets = parseLsofFields(macFixture('homebrew', 'lsof.txt'));
    assert.deepEqual([...sets.keys()], [612, 640, 641, 642, 650]);
    assert.equal(sets.get(612)?.length, 3);
    // The daemon's listener and a connection it accepted on it both name the listener's path.
    assert.deepEqual([...boundPaths(sets.get(640) ?? [])], [`${BREW_RUN}1.sock`]);
    // A worker's connection to a daemon is a client: lsof names its peer, not a path.
    assert.deepEqual([...boundPaths(sets.get(650) ?? [])], []);
  });
});

describe('macOS: Homebrew httpd run by its user', () => {
  it('finds every daemon as a child of the parent and names its group by its listener socket, with one lsof call', async () => {
    const { source, calls } = macSource('homebrew', ALICE, homebrewRoot());
    const [instance, ...others] = await discoverInstances(source, NOT_US);
    assert.equal(others.length, 0);
    assert.equal(instance?.parent.pid, 612);
    assert.equal(instance?.config.configFile, '/opt/homebrew/etc/httpd/httpd.conf');
    assert.deepEqual(instance?.doubts, []);
    assert.deepEqual(daemons(instance?.children ?? []), [
      [640, 'django', 'socket'],
      [641, 'djangoadmin', 'socket'],
      [642, 'flask', 'socket'],
    ]);
    assert.deepEqual(
      instance?.children.filter((m) => m.role === 'worker').map((m) => [m.process.pid, m.via]),
      [
        [650, 'no-socket'],
        [651, 'no-socket'],
      ],
    );
    assert.deepEqual(
      calls.filter((call) => call.startsWith('lsof')),
      ['lsof -nP -w -U -a -p 612,640,641,642,650,651 -F pn'],
    );
    const records = toPsRecords(instance ? [instance] : []);
    assert.deepEqual(
      records.filter((r) => r.role === 'daemon').map((r) => [r.pid, r.group, r.evidence]),
      [
        [640, 'django', 'socket'],
        [641, 'djangoadmin', 'socket'],
        [642, 'flask', 'socket'],
      ],
    );
    assert.equal(records.find((r) => r.pid === 650)?.evidence, null);
    assert.equal(records.find((r) => r.pid === 640)?.cmd, `(wsgi:django)${' '.repeat(21)}-D FOREGROUND`);
  });

  it('without lsof falls back to display-names, marks them so, and cannot see the group without one', async () => {
    const { source } = macSource('homebrew', ALICE, homebrewRoot(), { lsof: false });
    const [instance] = await discoverInstances(source, NOT_US);
    assert.deepEqual(daemons(instance?.children ?? []), [
      [640, 'django', 'display-name'],
      [641, 'djangoadmin', 'display-name'],
    ]);
    const records = toPsRecords(instance ? [instance] : []);
    assert.deepEqual(
      records.filter((r) => r.evidence !== null).map((r) => [r.pid, r.evidence]),
      [
        [640, 'display-name'],
        [641, 'display-name'],
      ],
    );
    const text = renderPs(instance ? [instance] : [], {
      groups: [],
      workers: false,
      now: Date.now(),
      color: PLAIN,
    });
    assert.match(text, /warning: pid 640 641 identified by display-name only, without socket evidence/);
    // flask has no display-name: its daemon looks like a worker, and a reload of it is refused, not guessed.
    // (Without sockets the read time is the parent's start, which the fixture files postdate: trustConfig.)
    assert.throws(
      () => planReload(instance ? [instance] : [], ['flask'], { all: false, trustConfig: true }),
      (error: unknown) =>
        error instanceof WsgictlError && error.exitCode === 4 && /no display-name/.test(error.message),
    );
  });
});

describe('macOS: the system httpd (/usr/sbin/httpd cuts display-names to 15 characters)', () => {
  it('as root tells apart two groups with the same cut name and a group without display-name, by socket', async () => {
    const { source } = macSource('system-root', 0, systemRoot());
    const [instance] = await discoverInstances(source, NOT_US);
    assert.equal(instance?.config.configFile, '/etc/apache2/httpd.conf');
    assert.deepEqual(instance?.doubts, []);
    assert.deepEqual(daemons(instance?.children ?? []), [
      [710, 'reporting', 'socket'],
      [711, 'reporting-api', 'socket'],
      [712, 'flask', 'socket'],
    ]);
    const plans = planReload(instance ? [instance] : [], ['reporting'], { all: false, trustConfig: false });
    assert.deepEqual(
      plans.flatMap((plan) => plan.targets.map((target) => target.pid)),
      [710],
    );
  });

  it('without socket evidence calls the cut names ambiguous and refuses to reload either group', async () => {
    const { source } = macSource('system-root', 0, systemRoot(), { lsof: false });
    const [instance] = await discoverInstances(source, NOT_US);
    const cut = instance?.children
      .filter((m) => m.via === 'ambiguous')
      .map((m) => [m.process.pid, m.candidates]);
    assert.deepEqual(cut, [
      [710, ['reporting', 'reporting-api']],
      [711, ['reporting', 'reporting-api']],
    ]);
    assert.throws(
      () => planReload(instance ? [instance] : [], ['reporting-api'], { all: false, trustConfig: true }),
      (error: unknown) => error instanceof WsgictlError && error.exitCode === 4,
    );
  });

  it('as an ordinary user, who sees "(httpd)" for root\'s httpd, says permission is missing (exit 4), not that no Apache runs', async () => {
    const { source, calls } = macSource('system-user', ALICE, systemRoot());
    await assert.rejects(discoverApache(source, NOT_US), (error: unknown) => {
      assert.ok(error instanceof WsgictlError);
      assert.equal(error.exitCode, 4);
      assert.match(error.message, /^cannot read httpd \(pid 700, run by root\):.*"\(httpd\)".*sudo/);
      return true;
    });
    assert.deepEqual(
      calls.filter((call) => call.startsWith('lsof')),
      [],
    );
  });
});

describe('macOS: mod_wsgi-express', () => {
  it('reads the generated configuration named by -f, with argv[0] renamed and padded to the display-name', async () => {
    const root = macRoot({ [`${EXPRESS_ROOT}/httpd.conf`]: EXPRESS_CONF }, [
      `${EXPRESS_ROOT}/wsgi.800.u501.1.sock`,
    ]);
    roots.push(root);
    const { source } = macSource('express', ALICE, root);
    const [instance, ...others] = await discoverInstances(source, NOT_US);
    assert.equal(others.length, 0);
    assert.equal(instance?.config.configFile, `${EXPRESS_ROOT}/httpd.conf`);
    assert.equal(instance?.context.argv0Length, '(wsgi:localhost:8000:501)'.length);
    assert.deepEqual(instance?.doubts, []);
    assert.deepEqual(daemons(instance?.children ?? []), [[810, 'localhost:8000', 'socket']]);
    assert.equal(instance?.children.find((m) => m.process.pid === 820)?.role, 'worker');
  });
});
