import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDuration } from '../src/duration.js';

describe('parseDuration', () => {
  it('reads ms, s and m, and a bare number as seconds', () => {
    assert.deepEqual(
      ['500ms', '30s', '2m', '1.5', '0', ' 2s ', '0.25s', '1.5m'].map((value) => parseDuration(value)),
      [500, 30_000, 120_000, 1500, 0, 2000, 250, 90_000],
    );
  });

  it('says only the value when no option is named', () => {
    assert.throws(() => parseDuration('soon'), {
      message: '"soon" is not a duration: write e.g. 500ms, 2s or 1m, or a number of seconds',
    });
  });

  it('rounds to whole milliseconds', () => {
    assert.equal(parseDuration('0.0004s'), 0);
    assert.equal(parseDuration('1.6ms'), 2);
  });

  it('refuses anything else, naming the option and the forms it takes', () => {
    for (const bad of ['-1s', 'soon', '', '2h', '1e3', '2 s', '.5s'])
      assert.throws(() => parseDuration(bad, { option: '--timeout' }), {
        code: 'USAGE',
        exitCode: 2,
        message: `--timeout "${bad}" is not a duration: write e.g. 500ms, 2s or 1m, or a number of seconds`,
      });
  });

  it('with unitRequired, refuses a bare number (it used to mean milliseconds) but takes 0 and every unit', () => {
    const debounce = { option: '--debounce', unitRequired: true };
    assert.throws(() => parseDuration('200', debounce), {
      code: 'USAGE',
      message:
        '--debounce 200 needs a unit, e.g. 200ms: a bare number used to mean milliseconds here, and means seconds in every other wsgictl duration',
    });
    assert.throws(() => parseDuration('0.5', { option: '--poll', unitRequired: true }), {
      message: /^--poll 0\.5 needs a unit, e.g. 0\.5ms:/,
    });
    assert.deepEqual(
      ['200ms', '0.5s', '1m', '0'].map((value) => parseDuration(value, debounce)),
      [200, 500, 60_000, 0],
    );
    assert.throws(() => parseDuration('fast', debounce), {
      message: '--debounce "fast" is not a duration: write e.g. 500ms, 2s or 1m',
    });
  });
});
