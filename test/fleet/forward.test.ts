import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { createCheckOption, createCheckTimeoutOption } from '../../src/cli/check-options.js';
import { collect } from '../../src/cli/collect.js';
import { addFleetOptions } from '../../src/cli/fleet.js';
import { forwardArguments } from '../../src/fleet/forward.js';

/** A command shaped like reload's and watch's: flags, values with defaults, repeatables, a negation. */
function parse(args: string[]): Command {
  const command = new Command('x')
    .exitOverride()
    .argument('[group...]')
    .option('--graceful')
    .option('--signal <name>')
    .option('--timeout <duration>', 'd', '30s')
    .option('--no-wait')
    .option('--ignore <glob>', 'g', collect)
    .addOption(createCheckOption())
    .addOption(createCheckTimeoutOption())
    .option('--debounce <duration>');
  addFleetOptions(command, { parallel: '1', keepGoing: true });
  command.action(() => {});
  command.parse(args, { from: 'user' });
  return command;
}

test('only what was typed is forwarded, each value as --name=value, the fleet options never', () => {
  const command = parse([
    'django',
    '--host',
    'web1',
    '--graceful',
    '--signal',
    'TERM',
    '--no-wait',
    '--parallel',
    '2',
    '--ssh-option',
    'Port=2222',
    '--keep-going',
  ]);
  // --timeout has a default but was not typed: the host uses its own.
  assert.deepEqual(forwardArguments(command, ['django']), [
    'django',
    '--graceful',
    '--signal=TERM',
    '--no-wait',
  ]);
});

test('a repeated option is forwarded once per value; a bare --check as itself', () => {
  assert.deepEqual(forwardArguments(parse(['--ignore', 'a', '--ignore', 'b', '--check']), []), [
    '--ignore=a',
    '--ignore=b',
    '--check',
  ]);
  assert.deepEqual(forwardArguments(parse(['--check', 'http://127.0.0.1/a']), []), [
    '--check=http://127.0.0.1/a',
  ]);
});

test('a typed value that equals the default is still forwarded; a value that starts with - stays one word', () => {
  assert.deepEqual(forwardArguments(parse(['--timeout', '30s', '--signal=-x']), []), [
    '--signal=-x',
    '--timeout=30s',
  ]);
});

test('only: just the named options (watch sends its reload options, not its own)', () => {
  const command = parse(['--graceful', '--debounce', '1s', '--check', '--check-timeout', '5s']);
  assert.deepEqual(
    forwardArguments(command, ['g'], new Set(['--graceful', '--check', '--check-timeout', '--timeout'])),
    ['g', '--graceful', '--check', '--check-timeout=5s'],
  );
});
