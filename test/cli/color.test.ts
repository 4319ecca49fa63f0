import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colorLevel, createPaint, PLAIN } from '../../src/cli/color.js';

describe('colorLevel', () => {
  it('is off for a pipe, on for a TTY (truecolor with COLORTERM=truecolor)', () => {
    assert.equal(colorLevel({}, false), 0);
    assert.equal(colorLevel({}, true), 2);
    assert.equal(colorLevel({ COLORTERM: 'truecolor' }, true), 3);
    assert.equal(colorLevel({ TERM: 'dumb' }, true), 0);
  });

  it('honours NO_COLOR when it is not empty, over FORCE_COLOR too', () => {
    assert.equal(colorLevel({ NO_COLOR: '1' }, true), 0);
    assert.equal(colorLevel({ NO_COLOR: '1', FORCE_COLOR: '3' }, true), 0);
    assert.equal(colorLevel({ NO_COLOR: '' }, true), 2);
  });

  it('reads FORCE_COLOR: 0 or false off, 2 and 3 as given, anything else 1, even on a pipe', () => {
    assert.equal(colorLevel({ FORCE_COLOR: '0' }, true), 0);
    assert.equal(colorLevel({ FORCE_COLOR: 'false' }, true), 0);
    assert.equal(colorLevel({ FORCE_COLOR: '2' }, false), 2);
    assert.equal(colorLevel({ FORCE_COLOR: '3' }, false), 3);
    assert.equal(colorLevel({ FORCE_COLOR: '1' }, false), 1);
    assert.equal(colorLevel({ FORCE_COLOR: '' }, false), 1);
    assert.equal(colorLevel({ FORCE_COLOR: 'true', TERM: 'dumb' }, false), 1);
  });
});

describe('createPaint', () => {
  it('is PLAIN at level 0: text unchanged', async () => {
    const paint = await createPaint(0);
    assert.equal(paint, PLAIN);
    assert.equal(paint.red('x'), 'x');
  });

  it('wraps text in ANSI styles at level 1 and up', async () => {
    const paint = await createPaint(1);
    assert.equal(paint.red('x'), '\u001b[31mx\u001b[39m');
    assert.equal(paint.bold('x'), '\u001b[1mx\u001b[22m');
    assert.equal(paint.green('x'), '\u001b[32mx\u001b[39m');
    for (const style of ['dim', 'yellow', 'cyan'] as const) assert.notEqual(paint[style]('x'), 'x', style);
  });
});
