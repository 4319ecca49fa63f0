import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { colorLevel } from '../../src/cli/color.js';
import { runCli } from '../helpers/cli.js';

const ESC = '\u001b[';

describe('wsgictl usage errors', () => {
  it('answers an unknown option or command with one line and exit 2', async () => {
    for (const args of [['ps', '--bogus'], ['nosuch'], ['reload', '--timeout']]) {
      const result = await runCli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /^wsgictl: .+ \(see --help\)\n$/);
    }
  });

  it('exits 2 with the help when no command is given, 0 for --help and --version', async () => {
    const bare = await runCli([]);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /Usage: wsgictl/);
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Commands:\n {2}ps/);
    const version = await runCli(['--version']);
    assert.deepEqual([version.code, version.stdout], [0, '0.1.0\n']);
  });
});

describe('colour', () => {
  it('is off under NO_COLOR, FORCE_COLOR=0, a dumb terminal, or a stream that is not a TTY', () => {
    assert.equal(colorLevel({ NO_COLOR: '1' }, true), 0);
    assert.equal(colorLevel({ NO_COLOR: '1', FORCE_COLOR: '1' }, true), 0);
    assert.equal(colorLevel({ FORCE_COLOR: '0' }, true), 0);
    assert.equal(colorLevel({ TERM: 'dumb' }, true), 0);
    assert.equal(colorLevel({}, false), 0);
    assert.equal(colorLevel({}, true), 2);
    assert.equal(colorLevel({ FORCE_COLOR: '1' }, false), 1);
    assert.equal(colorLevel({ NO_COLOR: '' }, true), 2);
  });

  it('reaches the terminal only when allowed', async () => {
    const forced = await runCli(['reload', 'x', '--signal', 'HUP'], {
      env: { NO_COLOR: '', FORCE_COLOR: '1' },
    });
    assert.ok(forced.stderr.includes(ESC), 'FORCE_COLOR=1 colours the error');
    const both = await runCli(['reload', 'x', '--signal', 'HUP'], {
      env: { NO_COLOR: '1', FORCE_COLOR: '1' },
    });
    assert.ok(!both.stderr.includes(ESC), 'NO_COLOR wins');
    assert.equal(both.code, 2);
  });
});
