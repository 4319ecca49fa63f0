import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WsgictlError } from '../../src/errors.js';
import {
  collapseServiceName,
  restartEventName,
  validatePid,
  validateServiceName,
} from '../../src/windows/names.js';

describe('validateServiceName', () => {
  it('accepts the names Apache services really have', () => {
    for (const name of ['Apache2.4', 'Apache2.2', 'Apache HTTP Server', 'httpd-8080', 'Apache24_(x64)']) {
      assert.equal(validateServiceName(name), name);
    }
  });
  it('refuses anything a command line or an argument parser could misread, as a usage error', () => {
    for (const name of [
      '',
      '-k',
      'Apache2.4" & calc',
      'a/b',
      'a\\b',
      'x|y',
      'Apache2.4 ',
      `a${'b'.repeat(80)}`,
    ]) {
      assert.throws(
        () => validateServiceName(name),
        (error: unknown) =>
          error instanceof WsgictlError && error.exitCode === 2 && /--service/.test(error.message),
        name,
      );
    }
  });
});

describe('validatePid and restartEventName', () => {
  it('takes digits only, with the whitespace a pidfile ends with', () => {
    assert.equal(validatePid('4420\r\n', 'pidfile'), 4420);
    for (const bad of ['', '0', '12; calc', '-1', '1e3', '4420 5012', 'abc']) {
      assert.throws(() => validatePid(bad, 'pidfile'), WsgictlError, bad);
    }
  });
  it('names the event exactly as mpm_winnt.c does, optionally in Global\\', () => {
    assert.equal(restartEventName(5012, false), 'ap5012_restart');
    assert.equal(restartEventName(4420, true), 'Global\\ap4420_restart');
  });
});

describe('collapseServiceName', () => {
  it('drops every white-space character, as apr_collapse_spaces does for httpd -n', () => {
    assert.equal(collapseServiceName('Apache HTTP Server'), 'ApacheHTTPServer');
    assert.equal(collapseServiceName('Apache2.4'), 'Apache2.4');
  });
});
