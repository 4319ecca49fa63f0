import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_REGEXP_CHARS, testUntrustedRegExp } from '../../../src/apache/config/bounded-regexp.js';

describe('testUntrustedRegExp', () => {
  it('tells a match and a miss', () => {
    assert.equal(testUntrustedRegExp('^/shop(/|$)', '/shop/cart'), true);
    assert.equal(testUntrustedRegExp('^/shop(/|$)', '/shopping'), false);
  });

  it('is null for an invalid pattern', () => {
    assert.equal(testUntrustedRegExp('(unclosed', '/x'), null);
  });

  it('is null for a pattern longer than MAX_REGEXP_CHARS, and runs one of exactly that length', () => {
    assert.equal(
      testUntrustedRegExp('a'.repeat(MAX_REGEXP_CHARS + 1), 'a'.repeat(MAX_REGEXP_CHARS + 1)),
      null,
    );
    assert.equal(testUntrustedRegExp('a'.repeat(MAX_REGEXP_CHARS), 'a'.repeat(MAX_REGEXP_CHARS)), true);
  });

  it('gives up (null) on catastrophic backtracking within its timeout, and works again afterwards', () => {
    const started = performance.now();
    assert.equal(testUntrustedRegExp('(a+)+$', `${'a'.repeat(30)}!`), null);
    const elapsedMs = performance.now() - started;
    assert.ok(elapsedMs < 2000, `took ${elapsedMs.toFixed(0)} ms`);
    assert.equal(testUntrustedRegExp('(a+)+$', 'aaa'), true);
  });
});
