import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apacheSkipReason, useSandbox } from '../helpers/apache.js';
import { runCli } from '../helpers/cli.js';

const skip = apacheSkipReason();

describe('reload --rolling prints as it goes, under the group head', { skip, timeout: 120_000 }, () => {
  it('the head comes first, then each old -> new pair, then the outcome', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django', processes: 2 }] });
    const result = await runCli(['reload', 'django', '--rolling', '--instance', String(sandbox.pid)]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(
      lines[0],
      `django (Apache pid ${sandbox.pid}): SIGINT, one process at a time`,
      result.stdout,
    );
    assert.equal(lines.length, 4, result.stdout);
    for (const line of lines.slice(1, 3)) assert.match(line, /^ {2}\d+ -> \d+$/);
    assert.match(lines[3] ?? '', /^ {2}replaced in \d+\.\d\ds$/);
  });

  it('with --no-wait, which signals every process at once, the plain head and no "one at a time"', async (t) => {
    const sandbox = await useSandbox(t, { argv0: 'apache2', groups: [{ name: 'django', processes: 2 }] });
    const args = ['reload', 'django', '--rolling', '--no-wait', '--instance', String(sandbox.pid)];
    const result = await runCli(args);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      `django (Apache pid ${sandbox.pid}): SIGINT, 2 processes\n  signalled 2; not waiting (--no-wait)\n`,
    );
  });

  it('two groups: each head above its own pairs, and each outcome under its name at the end', async (t) => {
    const sandbox = await useSandbox(t, {
      argv0: 'apache2',
      groups: [{ name: 'django' }, { name: 'flask' }],
    });
    const pid = sandbox.pid;
    const result = await runCli(['reload', 'django', 'flask', '--rolling', '--instance', String(pid)]);
    assert.equal(result.code, 0, result.stderr);
    const pair = '  \\d+ -> \\d+\\n';
    assert.match(
      result.stdout,
      new RegExp(
        `^django \\(Apache pid ${pid}\\): SIGINT, one process at a time\\n${pair}` +
          `flask \\(Apache pid ${pid}\\): SIGINT, one process at a time\\n${pair}` +
          `django \\(Apache pid ${pid}\\): SIGINT, 1 process\\n {2}replaced in \\S+\\n` +
          `flask \\(Apache pid ${pid}\\): SIGINT, 1 process\\n {2}replaced in \\S+\\n$`,
      ),
    );
  });
});
