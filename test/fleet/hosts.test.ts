import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { WsgictlError } from '../../src/errors.js';
import { checkHostName, collectHosts, parseHostsFile } from '../../src/fleet/hosts.js';

const usage = (pattern: RegExp) => (error: unknown) =>
  error instanceof WsgictlError && error.exitCode === 2 && pattern.test(error.message);

test('host names are taken as ssh takes them', () => {
  for (const name of ['web1', 'deploy@web1.example.org', 'web-1.internal', '::1', 'fe80::1%eth0', 'root@::1'])
    assert.equal(checkHostName(name, '--host'), name);
});

test('host:port is refused with the ssh way to say it', () => {
  assert.throws(() => checkHostName('web1:2222', '--host'), usage(/"Port 2222".*--ssh-option Port=2222/));
  assert.throws(() => checkHostName('deploy@web1:22', '--host'), usage(/not ssh syntax/));
});

test('a name ssh would read as an option is refused', () => {
  assert.throws(() => checkHostName('-oProxyCommand=touch /tmp/x', '--host'), usage(/starts with -/));
  assert.throws(() => checkHostName('web1 web2', '--host'), usage(/one host per entry/));
  assert.throws(() => checkHostName('  ', '--host'), usage(/empty host name/));
});

test('a hosts file: one per line, # comments, blank lines; errors name the line', () => {
  assert.deepEqual(parseHostsFile('# web tier\nweb1\n\n  web2  # the new one\r\ndeploy@web3\n', 'hosts'), [
    'web1',
    'web2',
    'deploy@web3',
  ]);
  assert.throws(() => parseHostsFile('web1\nweb2:22\n', 'hosts'), usage(/^hosts:2: "web2:22"/));
});

test('--host first, then the file (or stdin), each host once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wsgictl-hosts-'));
  writeFileSync(join(dir, 'fleet.txt'), 'web2\nweb1\nweb3\n');
  const none = () => assert.fail('stdin is read only for -');
  assert.deepEqual(collectHosts({ host: ['web1'], hostsFile: 'fleet.txt' }, dir, none), [
    'web1',
    'web2',
    'web3',
  ]);
  assert.deepEqual(
    collectHosts({ hostsFile: '-' }, dir, () => 'a\nb\n'),
    ['a', 'b'],
  );
  assert.deepEqual(collectHosts({}, dir, none), []);
  assert.throws(
    () => collectHosts({ hostsFile: 'missing.txt' }, dir, none),
    usage(/cannot read --hosts-file "missing.txt": ENOENT/),
  );
  writeFileSync(join(dir, 'empty.txt'), '# nothing yet\n');
  assert.throws(() => collectHosts({ hostsFile: 'empty.txt' }, dir, none), usage(/names no host/));
});
