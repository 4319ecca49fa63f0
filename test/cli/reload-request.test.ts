import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toReloadRequest } from '../../src/cli/reload-request.js';
import { WsgictlError } from '../../src/errors.js';
import { DEFAULT_CHECK_TIMEOUT_MS } from '../../src/health/check.js';
import { DEFAULT_TIMEOUT_MS } from '../../src/reload/reload.js';

/** A usage error (exit 2) whose message matches. */
function usage(pattern: RegExp) {
  return (error: unknown) =>
    error instanceof WsgictlError && error.code === 'USAGE' && pattern.test(error.message);
}

describe('toReloadRequest', () => {
  it('turns the options into the request: durations in ms, a signal only when asked for', () => {
    const request = toReloadRequest(['django'], {
      timeout: '5s',
      killAfter: '2s',
      wait: true,
      rolling: true,
      instance: 812,
      check: [],
    });
    assert.deepEqual(request.groups, ['django']);
    assert.equal(request.signal, undefined);
    assert.equal(request.timeoutMs, 5000);
    assert.equal(request.killAfterMs, 2000);
    assert.equal(request.rolling, true);
    assert.equal(request.instance, 812);
    assert.deepEqual(request.check, { urls: [], timeoutMs: DEFAULT_CHECK_TIMEOUT_MS });
    assert.equal(toReloadRequest(['django'], { graceful: true }).signal, 'SIGUSR1');
    assert.equal(toReloadRequest(['django'], { signal: 'term' }).signal, 'SIGTERM');
    assert.equal(toReloadRequest(['django'], {}).timeoutMs, DEFAULT_TIMEOUT_MS);
    assert.equal(toReloadRequest([], { all: true }).all, true);
  });

  it('refuses combinations that cannot mean anything, as usage errors', () => {
    assert.throws(() => toReloadRequest([], {}), usage(/name a group to reload .* or pass --all/));
    assert.throws(() => toReloadRequest(['django'], { url: 'http://a/' }), usage(/--url goes with --touch/));
    assert.throws(
      () => toReloadRequest(['django'], { touch: 'app.wsgi', url: 'ftp://a/' }),
      usage(/--url "ftp:\/\/a\/" is not an http\(s\) URL/),
    );
    assert.throws(
      () => toReloadRequest(['django'], { graceful: true, signal: 'TERM' }),
      usage(/give either it or --signal/),
    );
    assert.throws(
      () => toReloadRequest(['django'], { timeout: '10s', killAfter: '10s' }),
      usage(/--kill-after/),
    );
    assert.throws(
      () => toReloadRequest(['django'], { killAfter: '1s', wait: false }),
      usage(/drop --no-wait/),
    );
    assert.throws(() => toReloadRequest(['django'], { checkTimeout: '5s' }), usage(/goes with --check/));
  });

  it('points to --no-wait for a zero timeout only where the command has it (reload, not watch)', () => {
    assert.throws(
      () => toReloadRequest(['django'], { timeout: '0s', wait: true }),
      usage(/above zero, e\.g\. 30s, or --no-wait to send the signals and return at once$/),
    );
    assert.throws(() => toReloadRequest(['django'], { timeout: '0s' }), usage(/above zero, e\.g\. 30s$/));
  });

  it('--no-preflight and --canary N reach the request; a bad --canary is a usage error', () => {
    assert.equal(toReloadRequest(['django'], {}).preflight, undefined, 'the core runs it by default');
    assert.equal(toReloadRequest(['django'], { preflight: false }).preflight, false);
    assert.equal(toReloadRequest(['django'], { canary: '2' }).canary, 2);
    for (const bad of ['0', '-1', '1.5', 'x']) {
      assert.throws(
        () => toReloadRequest(['django'], { canary: bad }),
        usage(/--canary ".*" is not a number/),
      );
    }
    assert.throws(
      () => toReloadRequest(['django'], { canary: '1', wait: false }),
      usage(/leave out --no-wait/),
    );
  });

  it('--preflight import reaches the request, compile is the default, another mode is a usage error', () => {
    assert.equal(toReloadRequest(['django'], { preflight: 'import' }).preflight, 'import');
    assert.equal(toReloadRequest(['django'], { preflight: 'compile' }).preflight, undefined);
    assert.throws(
      () => toReloadRequest(['django'], { preflight: 'run' }),
      usage(/--preflight "run" is not a mode: give compile \(the default\) or import/),
    );
  });
});
