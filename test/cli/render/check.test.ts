import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PLAIN } from '../../../src/cli/color.js';
import { describeBroken, describeCheck, describeWatchCheck } from '../../../src/cli/render/check.js';
import type { CheckReport } from '../../../src/health/types.js';
import { REPO } from '../../helpers/cli.js';

const FAILED = {
  url: 'http://127.0.0.1:8080/shop',
  address: '127.0.0.1:8080',
  status: 500,
  ok: false,
  ms: 12,
};

describe('describeCheck', () => {
  it('a healthy check: one line per answer, and what was not checked', () => {
    const report: CheckReport = {
      health: [{ ...FAILED, status: 404, ok: true }],
      unchecked: [
        'WSGIScriptAliasMatch ^/api (/etc/apache2/apache2.conf:9): a pattern, not a URL; pass --check URL to request it',
      ],
      errors: [],
      errorLogs: [],
    };
    assert.deepEqual(describeCheck(report, PLAIN), [
      '  answered GET http://127.0.0.1:8080/shop -> 404 in 12ms',
      '  not checked: WSGIScriptAliasMatch ^/api (/etc/apache2/apache2.conf:9): a pattern, not a URL; pass --check URL to request it',
    ]);
  });

  it('a failure: the traceback once, with how often and from which other daemons it came', () => {
    const errors = readFileSync(`${REPO}/test/fixtures/mod_wsgi/syntax-error-4.9.log`, 'utf8')
      .split('\n')
      .filter((line) => line.includes('[wsgi:error]'));
    const lines = describeCheck(
      {
        health: [FAILED],
        unchecked: [],
        errors,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Apache's own ${VAR} syntax
        errorLogs: [{ path: '/var/log/apache2/error.log', written: '${APACHE_LOG_DIR}/error.log' }],
      },
      PLAIN,
    );
    assert.deepEqual(lines.slice(0, 4), [
      '  failed GET http://127.0.0.1:8080/shop -> 500 in 12ms',
      '  error log /var/log/apache2/error.log since the reload:',
      '    pid 5434 (the same 2 more times, also from pid 5435):',
      "      Failed to exec Python script file '/tmp/wsgictl-app-PYNd8o/shop.wsgi'.",
    ]);
    assert.equal(lines.at(-1), '      SyntaxError: invalid syntax');
    assert.equal(lines.length, 12);
  });

  it('no readable log: says where it looked', () => {
    const lines = describeCheck(
      {
        health: [{ ...FAILED, status: null, error: 'connection refused' }],
        unchecked: [],
        errors: [],
        errorLogs: [{ path: null, written: 'syslog:local7', reason: 'not readable: syslog' }],
      },
      PLAIN,
    );
    assert.deepEqual(lines, [
      '  failed GET http://127.0.0.1:8080/shop -> connection refused in 12ms',
      '  no error log readable; looked at syslog:local7 (not readable: syslog)',
    ]);
  });

  it('the error line says the reload worked and the app does not answer', () => {
    assert.equal(
      describeBroken({ group: 'django', instance: 812, health: [FAILED, { ...FAILED, url: 'http://x/' }] }),
      '"django" (Apache pid 812) was reloaded, but its app does not answer: GET http://127.0.0.1:8080/shop -> 500 (and 1 more); see above',
    );
  });

  it('watch: a short line while the app answers, the traceback when it breaks, a line when it is fixed', () => {
    const healthy = {
      health: [{ ...FAILED, status: 200, ok: true }],
      unchecked: [],
      errors: [],
      errorLogs: [],
    };
    assert.deepEqual(describeWatchCheck({ ...healthy, group: 'django', ok: true, recovered: false }, PLAIN), [
      'django: the app answers (/shop 200)',
    ]);
    assert.deepEqual(describeWatchCheck({ ...healthy, group: 'django', ok: true, recovered: true }, PLAIN), [
      'django: the app is healthy again (/shop 200)',
    ]);
    const broken = describeWatchCheck(
      {
        health: [FAILED],
        unchecked: [],
        errors: [
          '[Mon Nov 23 09:06:02.836065 2026] [wsgi:error] [pid 5434:tid 5434] SyntaxError: invalid syntax',
        ],
        errorLogs: [{ path: '/var/log/apache2/error.log', written: 'error.log' }],
        group: 'django',
        ok: false,
        recovered: false,
      },
      PLAIN,
    );
    assert.deepEqual(broken, [
      'django: the app is broken: /shop 500',
      '  error log /var/log/apache2/error.log since the reload:',
      '    pid 5434:',
      '      SyntaxError: invalid syntax',
    ]);
  });
});
