import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatBytes,
  formatColumns,
  formatDuration,
  formatElapsed,
  formatList,
  formatSeconds,
} from '../src/format.js';

describe('formatDuration', () => {
  it('shows seconds, then minutes, hours and days with the next unit padded', () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [999, '0s'],
      [59_999, '59s'],
      [60_000, '1m00s'],
      [61_000, '1m01s'],
      [3_599_000, '59m59s'],
      [3_600_000, '1h00m'],
      [47 * 3_600_000 + 59 * 60_000, '47h59m'],
      [48 * 3_600_000, '2d00h'],
      [49 * 3_600_000, '2d01h'],
      [-5000, '0s'],
    ];
    for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, String(ms));
  });
});

describe('formatSeconds', () => {
  it('shows seconds with two decimals, rounded, at any size', () => {
    const cases: [number, string][] = [
      [0, '0.00s'],
      [4, '0.00s'],
      [6, '0.01s'],
      [2314, '2.31s'],
      [2316, '2.32s'],
      [10_000, '10.00s'],
      [125_500, '125.50s'],
    ];
    for (const [ms, text] of cases) assert.equal(formatSeconds(ms), text, String(ms));
  });
});

describe('formatElapsed', () => {
  it('keeps the hundredths under 10 s, then counts as formatDuration does', () => {
    const cases: [number, string][] = [
      [0, '0.00s'],
      [2314, '2.31s'],
      [9_994, '9.99s'],
      [10_000, '10s'],
      [61_500, '1m01s'],
    ];
    for (const [ms, text] of cases) assert.equal(formatElapsed(ms), text, String(ms));
  });
});

describe('formatBytes', () => {
  it('uses binary units, one decimal below 10, and - for unknown', () => {
    const cases: [number | null, string][] = [
      [null, '-'],
      [0, '0B'],
      [1023, '1023B'],
      [1024, '1.0K'],
      [1536, '1.5K'],
      [10 * 1024, '10K'],
      [10.6 * 1024, '11K'],
      [5 * 1024 ** 2, '5.0M'],
      [3 * 1024 ** 3, '3.0G'],
      [2 * 1024 ** 4, '2.0T'],
      [2048 * 1024 ** 4, '2048T'],
    ];
    for (const [bytes, text] of cases) assert.equal(formatBytes(bytes), text, String(bytes));
  });
});

describe('formatColumns', () => {
  it('pads every column but the last to its widest cell, two spaces apart', () => {
    assert.deepEqual(
      formatColumns([
        ['PID', 'GROUP', 'CMD'],
        ['12345', 'a', 'x y'],
        ['1', 'django', ''],
      ]),
      ['PID    GROUP   CMD', '12345  a       x y', '1      django  '],
    );
  });

  it('indents each line and handles rows of different lengths', () => {
    assert.deepEqual(formatColumns([['a', 'b'], ['long']], '  '), ['  a     b', '  long']);
    assert.deepEqual(formatColumns([]), []);
  });
});

describe('formatList', () => {
  it('joins with commas and and (or or)', () => {
    assert.equal(formatList([]), '');
    assert.equal(formatList(['a']), 'a');
    assert.equal(formatList(['a', 'b']), 'a and b');
    assert.equal(formatList(['a', 'b', 'c']), 'a, b and c');
    assert.equal(formatList(['a', 'b', 'c'], 'or'), 'a, b or c');
  });
});
