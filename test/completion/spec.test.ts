import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildProgram } from '../../src/cli.js';
import { isPlainWord } from '../../src/completion/list.js';
import { DURATION_WORDS, describeProgram } from '../../src/completion/spec.js';
import { recordingContext } from '../helpers/context.js';

describe('describeProgram', () => {
  const spec = describeProgram(buildProgram(recordingContext().context));
  const command = (name: string) => spec.commands.find((each) => each.name === name) ?? assert.fail(name);
  const option = (cmd: string, name: string) =>
    command(cmd).options.find((each) => each.names.includes(name)) ?? assert.fail(`${cmd} ${name}`);

  it('reads every command but help, with its arguments', () => {
    assert.deepEqual(
      spec.commands.map((each) => each.name),
      ['ps', 'reload', 'graceful', 'signal', 'watch', 'logs', 'demo', 'completion'],
    );
    assert.deepEqual(command('signal').args, [{ kind: 'groups' }, { kind: 'words', words: ['HUP', 'USR2'] }]);
    assert.deepEqual([command('watch').args, command('watch').variadic], [[{ kind: 'files' }], true]);
  });

  it('gives option values: signals, durations, groups, pids, files', () => {
    assert.deepEqual(option('reload', '--signal').value, {
      values: { kind: 'words', words: ['INT', 'TERM', 'USR1'] },
      required: true,
    });
    assert.deepEqual(option('watch', '--debounce').value?.values, { kind: 'words', words: DURATION_WORDS });
    assert.deepEqual(option('watch', '--poll').value, {
      values: { kind: 'words', words: DURATION_WORDS },
      required: false,
    });
    assert.deepEqual(option('watch', '--group').value?.values, { kind: 'groups' });
    assert.deepEqual(option('ps', '--instance').value?.values, { kind: 'instances' });
    assert.deepEqual(option('reload', '--touch').value?.values, { kind: 'files' });
    assert.equal(option('ps', '--json').value, undefined);
  });
});

describe('isPlainWord', () => {
  it('takes names a shell reads as one word, refuses the rest', () => {
    for (const name of ['django', 'shop.api', 'a-b_c', 'web@2']) assert.equal(isPlainWord(name), true, name);
    for (const name of ['-rf', 'a b', 'x;y', '$(id)', 'a\u001b[2J', '', 'é'])
      assert.equal(isPlainWord(name), false, name);
  });
});
