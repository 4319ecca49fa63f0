import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../src/cli.js';
import { answer, fleetContext } from '../helpers/fleet.js';

/** A host's `top --once --json`: group django, one member, in a name with an escape (hostile input). */
function snapshot(group: string) {
  return {
    at: '2026-12-03T14:00:00.000Z',
    cpuWindow: 'interval',
    windowMs: 2000,
    restartsSince: '2026-12-03T13:00:00.000Z',
    notes: [],
    groups: [
      {
        instance: 4,
        group,
        up: 1,
        configured: 1,
        cpuPercent: 12.5,
        rssBytes: 31_457_280,
        inFlight: 0,
        restarts: 2,
        restartsSince: '2026-12-03T13:00:00.000Z',
        restartsUnknown: null,
        reasons: { reload: 2 },
        lastRestart: null,
        members: [
          {
            pid: 9,
            startedAt: '2026-12-03T13:59:00.000Z',
            uptimeMs: 60_000,
            cpuPercent: 12.5,
            rssBytes: 31_457_280,
            threads: 17,
            inFlight: 0,
            state: 'idle',
          },
        ],
      },
    ],
  };
}

describe('top --host: one sample of every host', () => {
  it('--once --json: each host’s groups tagged with the host; a host printing another shape is an error', async () => {
    const c = fleetContext({
      web1: () =>
        answer({
          stdout: JSON.stringify({
            ...snapshot('django'),
            groups: [{ ...snapshot('django').groups[0], host: 'web9' }],
          }),
        }),
      web2: () => answer({ stdout: JSON.stringify({ groups: 'x' }) }),
    });
    const code = await main(
      ['node', 'wsgictl', 'top', '--once', '--json', '--host', 'web1', '--host', 'web2'],
      c.context,
    );
    assert.equal(code, 0, c.err.join(''));
    const round = JSON.parse(c.out.join('')) as {
      hosts: { host: string; snapshot?: { groups: { group: string; host: string }[] }; error?: string }[];
    };
    assert.deepEqual(
      round.hosts.map((entry) => [
        entry.host,
        entry.snapshot?.groups.map((g) => [g.group, g.host]),
        entry.error,
      ]),
      [
        ['web1', [['django', 'web1']], undefined],
        ['web2', undefined, 'its wsgictl printed no top snapshot'],
      ],
    );
    // What each host ran: one sample, as JSON.
    for (const args of c.calls) assert.match(args.at(-1) ?? '', /--envelope top --once --json --$/);
  });

  it('--once: each host’s table under its name, a hostile group name neutralised; --instance is refused', async () => {
    const c = fleetContext({
      web1: () => answer({ stdout: JSON.stringify(snapshot('dj\u001b[2Jango')) }),
    });
    const code = await main(['node', 'wsgictl', 'top', '--once', '--host', 'web1'], c.context);
    assert.equal(code, 0, c.err.join(''));
    const out = c.out.join('');
    assert.match(out, /^web1\n/);
    assert.match(out, /9 /);
    assert.ok(!out.includes('\u001b'), 'no raw escape from a host');
    const refused = fleetContext({});
    assert.equal(
      await main(['node', 'wsgictl', 'top', '--once', '--host', 'web1', '--instance', '4'], refused.context),
      2,
    );
    assert.match(refused.err.join(''), /--instance cannot be used with --host/);
    assert.deepEqual(refused.calls, []);
  });

  it('without --once: a round per interval over one kept connection per host, until Ctrl-C (exit 130)', async () => {
    let rounds = 0;
    let stop: (signal: 'SIGINT') => void = () => {};
    const stopped = new Promise<'SIGINT'>((resolve) => {
      stop = resolve;
    });
    const c = fleetContext({
      web1: (remote) => {
        if (/--envelope top/.test(remote) && ++rounds === 2) stop('SIGINT');
        return answer({ stdout: JSON.stringify(snapshot('django')) });
      },
    });
    c.context.stopSignal = () => stopped;
    const code = await main(
      ['node', 'wsgictl', 'top', '--json', '--interval', '1s', '--host', 'web1'],
      c.context,
    );
    assert.equal(code, 130);
    const lines = c.out.join('').trimEnd().split('\n');
    assert.equal(lines.length, 2, 'two rounds, one line each');
    for (const line of lines) assert.equal(JSON.parse(line).hosts[0].snapshot.groups[0].host, 'web1');
    const samples = c.calls.filter((args) => /--envelope top/.test(args.at(-1) ?? ''));
    for (const args of samples) {
      assert.match(args.at(-1) ?? '', /top --once --json --interval=1000ms --$/);
      assert.ok(
        args.some((arg) => arg.startsWith('ControlPath=')),
        'over the kept connection',
      );
    }
    assert.ok(
      c.calls.some((args) => args.includes('-O') && args.includes('exit')),
      'the connection closed',
    );
  });
});
