import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readKeys } from '../../src/cli/top-view.js';

describe('readKeys', () => {
  it('reads arrows (both cursor modes), enter, Ctrl-C and letters; skips other sequences whole', () => {
    assert.deepEqual(readKeys('\x1b[A\x1bOB\rq\x03'), ['up', 'down', 'enter', 'q', 'quit']);
    assert.deepEqual(readKeys('\x1b[15~r\x1b[Cy'), ['r', 'y']);
    assert.deepEqual(readKeys('\x1b'), ['escape']);
  });
});
