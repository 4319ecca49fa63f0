import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { collect } from '../../src/cli/collect.js';

describe('collect', () => {
  it('appends to the values so far, starting from none, without changing them', () => {
    const first = collect('a');
    assert.deepEqual(first, ['a']);
    const second = collect('b', first);
    assert.deepEqual(second, ['a', 'b']);
    assert.deepEqual(first, ['a']);
  });

  it('makes a repeatable commander option that shows no default in --help', () => {
    const command = new Command('x').exitOverride().option('--host <name>', 'a host', collect);
    command.parse(['--host', 'a', '--host', 'b'], { from: 'user' });
    assert.deepEqual(command.opts().host, ['a', 'b']);
    assert.doesNotMatch(command.helpInformation(), /default/);
  });
});
