import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertRestartSignal,
  chooseSignal,
  parseAppSignal,
  parseSignal,
  parseTimeout,
  RESTART_SIGNALS,
} from '../../src/reload/signals.js';

describe('parseAppSignal', () => {
  it('takes HUP and USR2 with or without SIG, any case, and their numbers', () => {
    assert.equal(parseAppSignal('HUP'), 'SIGHUP');
    assert.equal(parseAppSignal(' sigusr2'), 'SIGUSR2');
    assert.equal(parseAppSignal('1'), 'SIGHUP');
    assert.equal(parseAppSignal('12'), 'SIGUSR2');
  });

  it('points a restart signal to reload, and lists HUP and USR2 for anything else', () => {
    for (const restart of ['INT', 'SIGTERM', '10']) {
      assert.throws(() => parseAppSignal(restart), {
        code: 'USAGE',
        message: /restarts a mod_wsgi daemon: use `wsgictl reload --signal (INT|TERM|USR1)`/,
      });
    }
    for (const bad of ['KILL', '9', 'WINCH', 'SIGUSR', '']) {
      assert.throws(() => parseAppSignal(bad), {
        code: 'USAGE',
        message: /not one mod_wsgi passes to the application: use HUP \(1\), USR2 \(12\)/,
      });
    }
  });
});

describe('parseSignal', () => {
  it('takes names with or without SIG, any case, and numbers', () => {
    assert.equal(parseSignal('INT'), 'SIGINT');
    assert.equal(parseSignal('sigusr1'), 'SIGUSR1');
    assert.equal(parseSignal('15'), 'SIGTERM');
  });

  it('refuses what does not restart a daemon, listing the valid ones', () => {
    for (const bad of ['HUP', 'KILL', '9', 'SIGFOO', '']) {
      assert.throws(() => parseSignal(bad), {
        code: 'USAGE',
        message: /use one of INT \(2\), TERM \(15\), USR1 \(10\)/,
      });
    }
  });
});

describe('assertRestartSignal', () => {
  it('passes the three signals mod_wsgi restarts on', () => {
    for (const name of RESTART_SIGNALS) assert.equal(assertRestartSignal(name), name);
  });

  it('refuses anything else with a usage error (exit 2) that lists the valid ones', () => {
    for (const [bad, shown] of [
      ['SIGHUP', '"SIGHUP"'],
      ['INT', '"INT"'],
      [1, '1'],
      [undefined, 'undefined'],
    ] as const) {
      assert.throws(() => assertRestartSignal(bad), {
        code: 'USAGE',
        exitCode: 2,
        message: `signal ${shown} does not restart a mod_wsgi daemon: pass one of SIGINT, SIGTERM, SIGUSR1 (parseSignal reads user input such as INT or 2)`,
      });
    }
  });
});

describe('KILL as a first signal', () => {
  it('is refused with the truth: it does restart a daemon, but with no clean shutdown; --kill-after is the way', () => {
    for (const bad of ['KILL', 'sigkill', '9']) {
      assert.throws(() => parseSignal(bad), {
        code: 'USAGE',
        message: `signal "${bad}" is not a first signal here: it does restart a mod_wsgi daemon (the parent starts a new one), but it cuts the requests in flight and skips all cleanup; use one of INT (2), TERM (15), USR1 (10), and --kill-after DURATION to SIGKILL what still runs after that long`,
      });
      assert.throws(
        () => parseSignal(bad),
        (error: Error) => !/does not restart/.test(error.message),
      );
    }
    assert.throws(() => assertRestartSignal('SIGKILL'), {
      code: 'USAGE',
      message:
        'signal "SIGKILL" is not a first signal here: it does restart a mod_wsgi daemon (the parent starts a new one), but it cuts the requests in flight and skips all cleanup; pass one of SIGINT, SIGTERM, SIGUSR1, and killAfterMs to SIGKILL what still runs after that long',
    });
  });
});

describe('chooseSignal', () => {
  it('is SIGINT by default, SIGUSR1 with --graceful, the named one with --signal', () => {
    assert.equal(chooseSignal({}), 'SIGINT');
    assert.equal(chooseSignal({ graceful: true }), 'SIGUSR1');
    assert.equal(chooseSignal({ signal: 'TERM' }), 'SIGTERM');
  });

  it('refuses --graceful together with --signal', () => {
    assert.throws(() => chooseSignal({ graceful: true, signal: 'INT' }), {
      code: 'USAGE',
      message: '--graceful sends SIGUSR1: give either it or --signal',
    });
  });
});

describe('parseTimeout', () => {
  it('refuses a timeout of zero (or one that rounds to zero), pointing at the option that means "do not wait"', () => {
    for (const zero of ['0', '0s', '0ms', '0.0001s']) {
      assert.throws(() => parseTimeout(zero, ', or --no-wait'), {
        code: 'USAGE',
        message: new RegExp(`^--timeout ${zero.replace('.', '\\.')} leaves no time .*, or --no-wait$`),
      });
    }
    assert.equal(parseTimeout('1ms'), 1);
    assert.equal(parseTimeout('3s'), 3000);
    assert.equal(parseTimeout('3'), 3000, 'a bare number is seconds, as it always was for --timeout');
  });

  it('names --timeout when the value is no duration at all', () => {
    assert.throws(() => parseTimeout('soon'), {
      code: 'USAGE',
      message: '--timeout "soon" is not a duration: write e.g. 500ms, 2s or 1m, or a number of seconds',
    });
  });
});
