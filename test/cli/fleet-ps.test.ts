import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../src/cli.js';
import { VERSION } from '../../src/version.js';
import { answer, fleetContext } from '../helpers/fleet.js';

describe('ps --host: every host at once', () => {
  it('--json: every record gets its host; a host that failed is named on stderr and in the exit code', async () => {
    const record = (pid: number) => ({ pid, role: 'daemon', group: 'django' });
    const c = fleetContext({
      web1: () => answer({ stdout: JSON.stringify([record(11)]) }),
      web2: () => answer({ stdout: JSON.stringify([record(22), record(23)]), wsgictl: '0.1.9' }),
    });
    const code = await main(
      ['node', 'wsgictl', 'ps', '--json', '--host', 'web1', '--host', 'web2', '--host', 'web3'],
      c.context,
    );
    assert.deepEqual(JSON.parse(c.out.join('')), [
      { host: 'web1', ...record(11) },
      { host: 'web2', ...record(22) },
      { host: 'web2', ...record(23) },
    ]);
    assert.equal(code, 6);
    assert.match(c.err.join(''), /web2 runs wsgictl 0\.1\.9, this one is/);
    assert.match(c.err.join(''), /wsgictl: web3: unknown host name/);
  });

  it('--json: a host cannot pass itself off as another: its own "host" key is overwritten, non-records dropped', async () => {
    const c = fleetContext({
      web1: () =>
        answer({ stdout: JSON.stringify([{ pid: 11, host: 'web2', role: 'daemon' }, 7, 'ab', null]) }),
    });
    assert.equal(await main(['node', 'wsgictl', 'ps', '--json', '--host', 'web1'], c.context), 0);
    assert.deepEqual(JSON.parse(c.out.join('')), [{ host: 'web1', pid: 11, role: 'daemon' }]);
    assert.match(c.out.join(''), /^\[\n {2}\{\n {4}"host": "web1",/);
  });

  it("the table: each host's own under its name and wsgictl version, in the order given; a failed host says why", async () => {
    const c = fleetContext({ web1: () => answer({ stdout: 'GROUP  PID\ndjango 11\n' }) });
    const code = await main(
      ['node', 'wsgictl', 'ps', 'django', '--host', 'web1', '--host', 'web2'],
      c.context,
    );
    const unknown =
      'unknown host name (not in DNS, /etc/hosts or the ssh config): ssh: Could not resolve hostname web2: Name or service not known';
    assert.equal(
      c.out.join(''),
      `web1 (wsgictl ${VERSION})\nGROUP  PID\ndjango 11\n\nweb2\n  failed: ${unknown}\n`,
    );
    assert.equal(c.err.join(''), `wsgictl: web2: ${unknown}\n`);
    assert.equal(code, 6);
    // Every host is asked, at once, for exactly the ps typed here.
    assert.deepEqual(
      c.calls.map((call) => call.at(-1)),
      ['wsgictl --envelope ps django', 'wsgictl --envelope ps django'],
    );
  });
});
