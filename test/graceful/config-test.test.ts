import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configTestArgs, configTestEnv, runConfigTest } from '../../src/graceful/config-test.js';

describe('configTestArgs', () => {
  it('keeps -f, -d, -C, -c and -D in their order, each as option and value, then -t', () => {
    const argv = [
      '/usr/sbin/apache2',
      '-k',
      'start',
      '-DFOREGROUND',
      '-f',
      '/etc/x.conf',
      '-C',
      'ServerName a',
    ];
    assert.deepEqual(configTestArgs([...argv, '-E', '/tmp/startup.log', '-X', '-c', 'LogLevel info']), [
      '-D',
      'FOREGROUND',
      '-f',
      '/etc/x.conf',
      '-C',
      'ServerName a',
      '-c',
      'LogLevel info',
      '-t',
    ]);
  });

  it('reads joined values and stops where httpd stops reading options', () => {
    assert.deepEqual(configTestArgs(['httpd', '-d/srv/root', '-XDSSL', '--', '-f', 'ignored']), [
      '-d',
      '/srv/root',
      '-D',
      'SSL',
      '-t',
    ]);
  });

  it('an Apache started with no option is tested with none: its compiled-in defaults apply', () => {
    assert.deepEqual(configTestArgs(['apache2']), ['-t']);
  });
});

describe('configTestEnv', () => {
  it("keeps the parent's variables but not the dynamic loader's", () => {
    const env = configTestEnv({
      APACHE_RUN_USER: 'www-data',
      LD_PRELOAD: '/tmp/evil.so',
      DYLD_INSERT_LIBRARIES: 'x',
    });
    assert.deepEqual(env, { APACHE_RUN_USER: 'www-data' });
    assert.deepEqual(configTestEnv(null), {});
  });
});

describe('runConfigTest', () => {
  const sh = (script: string, more: { timeoutMs?: number; maxBytes?: number } = {}) =>
    runConfigTest({ binary: '/bin/sh', args: ['-c', script], env: {}, ...more });

  it('passes on exit 0 and keeps what it printed', async () => {
    const result = await sh('echo "Syntax OK" >&2');
    assert.equal(result.ok, true);
    assert.equal(result.output, 'Syntax OK\n');
  });

  it("fails on another exit code, with Apache's message", async () => {
    const result = await sh(
      'echo "AH00526: Syntax error on line 3 of /etc/x.conf:" >&2; echo "Invalid command \'Bogus\'" >&2; exit 1',
    );
    assert.equal(result.ok, false);
    assert.match(result.output, /Syntax error on line 3[\s\S]*Invalid command 'Bogus'/);
    assert.equal(result.failure, undefined);
  });

  it('is killed at its timeout', async () => {
    const result = await sh('sleep 30', { timeoutMs: 200 });
    assert.equal(result.ok, false);
    assert.equal(result.failure, 'it did not end within 200 ms');
    assert.ok(result.ms < 10_000, `took ${result.ms} ms`);
  });

  it('keeps at most maxBytes of a flood and kills it', async () => {
    const result = await sh('while :; do echo flood; done', { maxBytes: 1000 });
    assert.equal(result.ok, false);
    assert.equal(result.output.length, 1000);
    assert.equal(result.failure, 'its output passed 1000 bytes; the rest was dropped');
  });

  it('says so when the binary cannot be started', async () => {
    const result = await runConfigTest({ binary: '/nonexistent/apache2', args: ['-t'], env: {} });
    assert.equal(result.ok, false);
    assert.match(result.failure ?? '', /^it could not be started \(.*ENOENT/);
  });
});
