import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../src/cli.js';
import { answer, fleetContext } from '../helpers/fleet.js';

/** A host's `graceful --json`: group django restarted, 1 process 5 replaced by 9. */
const RESULT = {
  instance: 4,
  configTest: {
    binary: '/usr/sbin/apache2',
    args: ['-f', '/etc/apache2/apache2.conf', '-t'],
    ms: 80,
    output: 'Syntax OK\n',
  },
  outcome: 'done',
  generation: { before: 0, after: 1 },
  groups: [
    {
      group: 'django',
      state: 'up',
      change: 'restarted',
      processes: 1,
      oldPids: [5],
      newPids: [9],
      differences: [],
      ms: 1200,
    },
  ],
  oldDaemonsLeft: [],
  ms: 1300,
};

describe('graceful --host: host after host', () => {
  it('each host’s own graceful, shown per host; a failed config test stops the run', async () => {
    const c = fleetContext({
      web1: () => answer({ stdout: JSON.stringify(RESULT) }),
      web2: () =>
        answer({
          exitCode: 1,
          stdout: JSON.stringify({
            outcome: 'config-test-failed',
            output:
              'AH00526: Syntax error on line 3 of /etc/apache2/sites-enabled/x.conf:\n\u001b[31mInvalid command\n',
          }),
          error: { code: 'FAILED', message: 'the config test failed: nothing was signalled' },
        }),
      web3: () => assert.fail('web3 must not be started'),
    });
    const code = await main(
      ['node', 'wsgictl', 'graceful', '--drain', '--host', 'web1', '--host', 'web2', '--host', 'web3'],
      c.context,
    );
    const out = c.out.join('');
    assert.match(
      out,
      /web1\n {2}config test: \/usr\/sbin\/apache2 -f \/etc\/apache2\/apache2.conf -t: Syntax OK/,
    );
    assert.match(out, /django.*restarted \(was 5\), up in 1\.20s: 9/);
    assert.match(
      out,
      /web2\n {2}config test failed, nothing was signalled:\n {4}AH00526: Syntax error on line 3/,
    );
    assert.ok(!out.includes('\u001b'), 'no raw escape from a host');
    assert.match(out, /web3 {2}not started/);
    assert.equal(code, 1);
    // What each host ran: graceful with the forwarded option, as JSON.
    const remote = c.calls.map((args) => args.at(-1) ?? '');
    assert.equal(remote.length, 2);
    for (const line of remote) assert.match(line, /--envelope graceful --drain --json$/);
  });

  it('--json: one report per host; a host that prints another shape is shown by its outcome only', async () => {
    const c = fleetContext({
      web1: () => answer({ stdout: JSON.stringify(RESULT) }),
      web2: () => answer({ stdout: JSON.stringify({ instance: 'x', groups: 7 }) }),
    });
    const code = await main(
      ['node', 'wsgictl', 'graceful', '--json', '--keep-going', '--host', 'web1', '--host', 'web2'],
      c.context,
    );
    assert.equal(code, 0, c.err.join(''));
    const reports = JSON.parse(c.out.join('')) as { host: string; result?: { instance: number } }[];
    assert.deepEqual(
      reports.map((report) => [report.host, report.result?.instance]),
      [
        ['web1', 4],
        ['web2', undefined],
      ],
    );
  });
});
