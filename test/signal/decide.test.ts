import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  APP_SIGNALS_SINCE_MAJOR,
  assertReachesApp,
  assertSignalPlatform,
  decideWsgiVersion,
} from '../../src/signal/decide.js';

const TARGET = { group: 'django', signal: 'SIGHUP' as const, who: 'apache2 (pid 812)' };
const unread = (reason: string) => ({ version: null, reason });

describe('decideWsgiVersion', () => {
  it('takes the version both reports agree on, naming both', () => {
    assert.deepEqual(decideWsgiVersion({ version: '6.0.5' }, { version: '6.0.5' }, TARGET), {
      version: '6.0.5',
      from: ['start line', 'module'],
    });
  });

  it('takes one report when the other says nothing, naming the one', () => {
    assert.deepEqual(decideWsgiVersion({ version: '6.0.5' }, unread('is not named'), TARGET), {
      version: '6.0.5',
      from: ['start line'],
    });
    assert.deepEqual(decideWsgiVersion(unread('holds no start line'), { version: '4.9.4' }, TARGET), {
      version: '4.9.4',
      from: ['module'],
    });
  });

  it('refuses (exit 5) when the two disagree, naming both versions', () => {
    assert.throws(() => decideWsgiVersion({ version: '6.0.5' }, { version: '5.0.2' }, TARGET), {
      code: 'REFUSED',
      message:
        /^refused to send SIGHUP to "django" under apache2 \(pid 812\), nothing was sent: its error log's start line says mod_wsgi 6\.0\.5 but its LoadModule wsgi_module file is 5\.0\.2; restart Apache/,
    });
  });

  it('refuses (exit 5) when neither can be read, with both reasons, and points to reload', () => {
    const error = (() => {
      try {
        decideWsgiVersion(unread('is not readable: piped log'), unread('is not named'), TARGET);
      } catch (caught) {
        return caught as { code: string; exitCode: number; message: string };
      }
      return null;
    })();
    assert.equal(error?.code, 'REFUSED');
    assert.equal(error?.exitCode, 5);
    assert.match(
      error?.message ?? '',
      /cannot be told \(its error log is not readable: piped log; its module is not named\), .*use `wsgictl reload django`/,
    );
  });
});

describe('assertReachesApp', () => {
  it('lets 6.x and newer through', () => {
    assert.equal(APP_SIGNALS_SINCE_MAJOR, 6);
    for (const version of ['6.0.0', '6.1.1', '7.0.0'])
      assert.doesNotThrow(() => assertReachesApp({ version, from: ['module'] }, TARGET));
  });

  it('refuses 4.x and 5.x with exit 2, saying what the signal does there and to use reload', () => {
    assert.throws(() => assertReachesApp({ version: '5.0.2', from: ['start line'] }, TARGET), {
      code: 'USAGE',
      message:
        /^mod_wsgi 5\.0\.2 under apache2 \(pid 812\) does not hand SIGHUP to the application \(a daemon started with Apache dies of it, and one restarted since ignores it\); nothing was sent: use `wsgictl reload django`/,
    });
    assert.throws(
      () => assertReachesApp({ version: '4.9.4', from: ['module'] }, { ...TARGET, signal: 'SIGUSR2' }),
      { code: 'USAGE', message: /does not hand SIGUSR2 to the application \(it ends the daemon\)/ },
    );
  });
});

describe('assertSignalPlatform', () => {
  it('refuses Windows with exit 2 (no daemon processes there), and lets Unix through', () => {
    assert.throws(() => assertSignalPlatform('win32'), {
      code: 'USAGE',
      message: /no daemon processes on Windows.*use `wsgictl reload`/,
    });
    for (const platform of ['linux', 'darwin'] as const)
      assert.doesNotThrow(() => assertSignalPlatform(platform));
  });
});
