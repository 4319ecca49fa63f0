import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../src/cli.js';
import type { HostReloadReport } from '../../src/fleet/summary.js';
import { answer, fleetContext } from '../helpers/fleet.js';

/** A host's reload --json: django's one process 5 replaced by 9. */
const RESULT = JSON.stringify([
  {
    instance: 4,
    group: 'django',
    signal: 'SIGINT',
    oldPids: [5],
    newPids: [9],
    ms: 400,
    outcome: 'replaced',
    members: [{ pid: 5, state: 'replaced', newPid: 9 }],
    skipped: [],
  },
]);

describe('reload --host: host after host', () => {
  it('host after host; the first failure stops the run; the summary names every host', async () => {
    const c = fleetContext({
      web1: () => answer({ stdout: RESULT }),
      web2: () =>
        answer({
          exitCode: 3,
          stderr: 'wsgictl: no Apache runs here\n',
          error: { code: 'NO_PROCESSES', message: 'no Apache runs here' },
        }),
      web3: () => assert.fail('web3 must not be started'),
    });
    const code = await main(
      ['node', 'wsgictl', 'reload', 'django', '--host', 'web1', '--host', 'web2', '--host', 'web3'],
      c.context,
    );
    const out = c.out.join('');
    assert.match(out, /web1\n {2}django \(Apache pid 4\): SIGINT, 1 process\n {4}5 -> 9/);
    assert.match(out, /web2\n {2}failed: no Apache runs here/);
    assert.match(
      out,
      /hosts: 1 done, 1 failed, 1 not started\n {2}web1 {2}done .*\n {2}web2 {2}failed .*no Apache runs here \(exit 3\)\n {2}web3 {2}not started/,
    );
    assert.match(
      c.err.join(''),
      /wsgictl: web2: no Apache runs here\nwsgictl: stopped at web2: 1 host not started \(--keep-going goes on after a failed host\)/,
    );
    assert.equal(code, 3);
  });

  it('reload --json: a host cannot pass itself off as another: its results are marked with its name', async () => {
    const reload = fleetContext({
      web1: () =>
        answer({ stdout: JSON.stringify([{ group: 'django', outcome: 'dry-run', host: 'web2' }, 1]) }),
    });
    const code = await main(
      ['node', 'wsgictl', 'reload', 'django', '--dry-run', '--json', '--host', 'web1'],
      reload.context,
    );
    assert.equal(code, 0);
    const [report] = JSON.parse(reload.out.join('')) as HostReloadReport[];
    assert.deepEqual(report?.results, [{ group: 'django', outcome: 'dry-run', host: 'web1' }]);
  });

  it("--keep-going goes on after a failed host; the exit code is still the failure's", async () => {
    const c = fleetContext({
      web1: () => answer({ stdout: RESULT }),
      web2: () => answer({ exitCode: 3, error: { code: 'NO_PROCESSES', message: 'no Apache runs here' } }),
      web3: () => answer({ stdout: RESULT }),
    });
    const code = await main(
      [
        'node',
        'wsgictl',
        'reload',
        'django',
        '--keep-going',
        '--host',
        'web1',
        '--host',
        'web2',
        '--host',
        'web3',
      ],
      c.context,
    );
    assert.equal(code, 3);
    assert.match(c.out.join(''), /web3\n {2}django \(Apache pid 4\): SIGINT, 1 process\n {4}5 -> 9/);
    assert.match(c.out.join(''), /hosts: 2 done, 1 failed, 0 not started\n/);
    assert.equal(c.err.join(''), 'wsgictl: web2: no Apache runs here\n');
    // Each host is asked for JSON, which is shown here as text.
    assert.deepEqual(
      c.calls.map((call) => call.at(-1)),
      Array(3).fill('wsgictl --envelope reload django --json'),
    );
  });

  it('--json: one report per host, its results marked with it, its failure as the host said it', async () => {
    const c = fleetContext({
      web1: () => answer({ stdout: RESULT }),
      web2: () => answer({ exitCode: 3, error: { code: 'NO_PROCESSES', message: 'no Apache runs here' } }),
    });
    const code = await main(
      ['node', 'wsgictl', 'reload', 'django', '--json', '--keep-going', '--host', 'web1', '--host', 'web2'],
      c.context,
    );
    assert.equal(code, 3);
    const reports = JSON.parse(c.out.join('')) as HostReloadReport[];
    assert.deepEqual(
      reports.map((r) => [r.host, r.state, r.exitCode, r.results?.map((x) => [x.host, x.newPids]), r.error]),
      [
        ['web1', 'done', 0, [['web1', [9]]], undefined],
        ['web2', 'failed', 3, undefined, { kind: 'remote', message: 'no Apache runs here' }],
      ],
    );
  });
});
