import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../src/cli.js';
import type { Envelope } from '../../src/fleet/envelope.js';
import { VERSION } from '../../src/version.js';
import { answer, fleetContext } from '../helpers/fleet.js';

describe('--host: the command runs on each host over ssh', () => {
  it('forwards exactly the options typed (not the fleet ones, not defaults), quoted for the remote shell', async () => {
    const c = fleetContext({ web1: () => answer({ stdout: '[]' }) });
    const code = await main(
      [
        'node',
        'wsgictl',
        'reload',
        'django',
        'my app',
        '--rolling',
        '--timeout',
        '1m',
        '--check',
        '--check-timeout',
        '5s',
        '--no-wait',
        '--host',
        'web1',
        '--ssh-option',
        'Port=2222',
        '--remote-wsgictl',
        'sudo -n wsgictl',
        '--keep-going',
        '--json',
      ],
      c.context,
    );
    assert.equal(code, 0);
    assert.deepEqual(c.calls, [
      [
        '-o',
        'BatchMode=yes',
        '-o',
        'Port=2222',
        '--',
        'web1',
        "sudo -n wsgictl --envelope reload django 'my app' --rolling --timeout=1m --no-wait --json --check --check-timeout=5s",
      ],
    ]);
  });

  it('bad fleet input is a usage error before any host is reached', async () => {
    for (const [args, message] of [
      [['ps', '--ssh-config', 'x'], /--ssh-config goes with --host NAME or --hosts-file FILE/],
      [['ps', '--host', 'web1:2222'], /not ssh syntax: put "Port 2222"/],
      [['reload', 'django', '--host', 'web1', '--parallel', '0'], /--parallel.*1 or more/],
      [['reload', '--host', 'web1'], /name a group to reload/],
      [
        ['watch', '.', '--host', 'web1', '--exec', 'true'],
        /--host reloads groups on the hosts: give --group NAME/,
      ],
      // What the host's --envelope refuses is never sent: the option is named here.
      [
        ['reload', 'django', '--host', 'web1', '--touch', '/srv/app.wsgi'],
        /^wsgictl: --touch cannot be used with --host: it names a file/m,
      ],
      [
        ['reload', 'django', '--host', 'web1', '--touch', '/srv/app.wsgi', '--url', 'http://127.0.0.1/'],
        /^wsgictl: --touch cannot be used with --host/m,
      ],
      [
        ['reload', 'django', '--host', 'web1', '--check', 'http://127.0.0.1/h'],
        /^wsgictl: --check cannot be used with --host: with a value it names a URL/m,
      ],
      [
        ['reload', 'django', '--host', 'web1', '--pidfile', '/run/x.pid'],
        /^wsgictl: --pidfile cannot be used with --host/m,
      ],
      [
        ['reload', 'django', '--host', 'web1', '--service', 'Apache2.4'],
        /^wsgictl: --service cannot be used with --host/m,
      ],
      [
        ['watch', '.', '--host', 'web1', '--group', 'django', '--check', 'http://127.0.0.1/h'],
        /^wsgictl: --check cannot be used with --host/m,
      ],
    ] as const) {
      const c = fleetContext({});
      assert.equal(await main(['node', 'wsgictl', ...args], c.context), 2, args.join(' '));
      assert.match(c.err.join(''), message);
      assert.deepEqual(c.calls, []);
    }
  });

  it('Ctrl-C reaches a running host as a stop request; its wsgictl, asked so on stdin, stops after the current step', async () => {
    // The local side: the runner of a running host is handed the stop, and is asked to pass it on.
    let stop: (signal: 'SIGINT') => void = () => {};
    const stopped = new Promise<'SIGINT'>((resolve) => (stop = resolve));
    let handed: Promise<unknown> | undefined;
    const local = fleetContext({});
    local.context.stopSignal = () => stopped;
    local.context.ssh = async (_args, options) => {
      handed = options.stop;
      stop('SIGINT');
      return answer({ exitCode: 130, stdout: '[]' });
    };
    assert.equal(
      await main(['node', 'wsgictl', 'reload', 'django', '--host', 'web1', '--host', 'web2'], local.context),
      130,
    );
    assert.equal(await Promise.race([handed, Promise.resolve('not yet')]), 'SIGINT');
    assert.match(
      local.out.join(''),
      /hosts: 0 done, 0 failed, 1 stopped, 1 not started \(stopped by Ctrl-C\)/,
    );

    // The host's side: with --envelope, a `stop` from the caller is this command's Ctrl-C.
    const remote = fleetContext({});
    remote.context.callerStop = async () => 'SIGINT';
    remote.context.platform = {
      ...remote.context.platform,
      reloader: {
        platform: 'unix',
        reload: async (request, deps) => {
          await new Promise((resolve) => setImmediate(resolve));
          const outcome = deps?.stopRequested?.() ? 'stopped' : 'replaced';
          return [
            {
              instance: 4,
              group: request.groups[0] ?? '',
              signal: 'SIGINT',
              oldPids: [5, 6],
              newPids: [9],
              ms: 1,
              outcome,
              skipped: [],
              missing: 0,
              members: [],
            },
          ];
        },
      },
    };
    assert.equal(
      await main(
        ['node', 'wsgictl', '--envelope', 'reload', 'django', '--rolling', '--json'],
        remote.context,
      ),
      130,
    );
    const envelope = JSON.parse(remote.out.join('')) as Envelope;
    assert.equal(envelope.exitCode, 130);
    assert.equal((JSON.parse(envelope.stdout) as { outcome: string }[])[0]?.outcome, 'stopped');
  });

  it('--envelope: the outcome and the output in one JSON line, for the wsgictl that called over ssh', async () => {
    const c = fleetContext({});
    assert.equal(
      await main(['node', 'wsgictl', '--envelope', 'reload', 'django', '--timeout', '0'], c.context),
      2,
    );
    const envelope = JSON.parse(c.out.join('')) as Envelope;
    assert.equal(envelope.wsgictl, VERSION);
    assert.equal(envelope.exitCode, 2);
    assert.equal(envelope.error?.code, 'USAGE');
    assert.match(envelope.error?.message ?? '', /--timeout 0/);
    assert.deepEqual(c.err, []);
    const unknown = fleetContext({});
    assert.equal(await main(['node', 'wsgictl', '--envelope', 'ps', '--frobnicate'], unknown.context), 2);
    assert.match(
      (JSON.parse(unknown.out.join('')) as Envelope).error?.message ?? '',
      /unknown option '--frobnicate'/,
    );
  });
});
