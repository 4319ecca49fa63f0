import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatStack, main, parsePid } from '../src/cli.js';
import { WsgictlError } from '../src/errors.js';
import { VERSION } from '../src/version.js';
import { runCli } from './helpers/cli.js';
import { failingSource, recordingContext, testPlatform } from './helpers/context.js';

const ESC = '\u001b[';

describe('wsgictl usage errors', () => {
  it('answers an unknown option or command with one line and exit 2', async () => {
    for (const args of [['ps', '--bogus'], ['nosuch'], ['reload', '--timeout']]) {
      const result = await runCli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /^wsgictl: .+ \(see --help\)\n$/);
    }
  });

  it('names the unknown command and prints nothing on stdout', async () => {
    const result = await runCli(['nosuch']);
    assert.deepEqual(
      [result.code, result.stdout, result.stderr],
      [2, '', "wsgictl: unknown command 'nosuch' (see --help)\n"],
    );
  });

  it('exits 2 with the help when no command is given, 0 for --help and --version', async () => {
    const bare = await runCli([]);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /Usage: wsgictl/);
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Commands:\n {2}ps/);
    const version = await runCli(['--version']);
    assert.deepEqual([version.code, version.stdout], [0, `${VERSION}\n`]);
    assert.deepEqual((await runCli(['-V'])).stdout, `${VERSION}\n`);
  });
});

describe('wsgictl help and errors', () => {
  it('--verbose adds the stack under the message instead of printing the message twice', async () => {
    const result = await runCli(['reload', 'x', '--signal', 'KILL', '--verbose']);
    assert.equal(result.code, 2);
    const [first, ...rest] = result.stderr.trimEnd().split('\n');
    assert.match(
      first ?? '',
      /^wsgictl: signal "KILL" is not a first signal here: it does restart a mod_wsgi daemon/,
    );
    assert.equal(result.stderr.split('is not a first signal here').length, 2, result.stderr);
    assert.ok(rest.length > 0, 'a stack follows');
    for (const line of rest) assert.match(line, /^ {4}at /);
  });

  it('watch --help shows no empty default for the repeatable --group and --ignore', async () => {
    const result = await runCli(['watch', '--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /--group <name>/);
    assert.doesNotMatch(result.stdout, /default: \[\]/);
  });

  it('--timeout is above zero; reload --help says it is per process with --rolling', async () => {
    const reload = await runCli(['reload', 'x', '--timeout', '0']);
    assert.equal(reload.code, 2);
    assert.match(
      reload.stderr,
      /^wsgictl: --timeout 0 leaves no time for a replacement to start: .*--no-wait/,
    );
    assert.equal(reload.stderr.split('\n').length, 2, reload.stderr);
    const watch = await runCli(['watch', '.', '--group', 'x', '--timeout', '0s']);
    assert.equal(watch.code, 2);
    assert.match(watch.stderr, /^wsgictl: --timeout 0s leaves no time/);
    const help = (await runCli(['reload', '--help'])).stdout.replace(/\s+/g, ' ');
    assert.match(
      help,
      /--timeout <duration> how long to wait for replacements: with --rolling for each process, else for the whole group/,
    );
  });
});

describe('durations', () => {
  it('watch --help says a bare number is seconds, and --debounce/--poll refuse one instead of reading it anew', async () => {
    const help = (await runCli(['watch', '--help'])).stdout.replace(/\s+/g, ' ');
    assert.match(
      help,
      /Durations: 500ms, 2s, 1m; a bare number is seconds\. --debounce and --poll need a unit/,
    );
    for (const option of ['--debounce', '--poll']) {
      const result = await runCli(['watch', '.', '--group', 'x', option, '200']);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(
        result.stderr,
        `wsgictl: ${option} 200 needs a unit, e.g. 200ms: a bare number used to mean milliseconds here, and means seconds in every other wsgictl duration\n`,
      );
    }
  });
});

describe('colour', () => {
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

/** A context whose process table fails with `error` when ps reads it. */
function failingPs(error: Error) {
  const source = { ...failingSource(), list: async () => Promise.reject(error) };
  return recordingContext({ platform: testPlatform({ source }) });
}

describe('main maps what a command throws to an exit code and one line', () => {
  it('a WsgictlError: its own exit code, its message after "wsgictl:"', async () => {
    const permission = failingPs(new WsgictlError('PERMISSION', 'not allowed to read: run with sudo'));
    assert.equal(await main(['node', 'wsgictl', 'ps'], permission.context), 4);
    assert.deepEqual(permission.err, ['wsgictl: not allowed to read: run with sudo\n']);
    const refused = failingPs(new WsgictlError('REFUSED', 'the evidence disagrees'));
    assert.equal(await main(['node', 'wsgictl', 'ps'], refused.context), 5);
  });

  it('anything else: exit 1, said to be unexpected, control characters neutralised', async () => {
    const { context, err, out } = failingPs(new Error('boom\u001b[2J'));
    assert.equal(await main(['node', 'wsgictl', 'ps'], context), 1);
    assert.equal(err.length, 1);
    assert.match(err[0] ?? '', /^wsgictl: unexpected error: boom\S*\n$/);
    assert.ok(!(err[0] ?? '').includes('\u001b'), err[0]);
    assert.deepEqual(out, []);
  });
});

describe('parsePid', () => {
  it('takes a positive whole number', () => {
    assert.equal(parsePid('1'), 1);
    assert.equal(parsePid('4242'), 4242);
  });

  it('refuses zero, signs, fractions and words, saying what is expected', () => {
    for (const bad of ['0', '-1', '+1', '1.5', '12a', '', ' 1']) {
      assert.throws(() => parsePid(bad), { message: 'expected a process id (a positive whole number)' }, bad);
    }
  });
});

describe('formatStack', () => {
  it('gives the frames without the first line, then the cause', () => {
    const cause = new Error('the cause');
    const error = new Error('the message', { cause });
    const text = formatStack(error);
    assert.ok(!text.includes('the message'), text);
    assert.match(text.split('\n')[0] ?? '', /^ {4}at /);
    assert.match(text, /\ncaused by: Error: the cause\n {4}at /);
    assert.ok(text.endsWith('\n'));
  });

  it('is empty for an error without frames or cause', () => {
    const error = new Error('bare');
    error.stack = 'Error: bare';
    assert.equal(formatStack(error), '');
  });
});
