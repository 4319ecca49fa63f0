import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';

/** `COMMAND --help` with its lines joined, so that a test reads an option's text whatever the wrapping. */
async function helpOf(command: string): Promise<string> {
  const result = await runCli([command, '--help']);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.replace(/\s+/g, ' ');
}

/** The text of one option in that help, up to the next option. */
function optionText(help: string, flags: string): string {
  const at = help.indexOf(` ${flags} `);
  assert.notEqual(at, -1, `${flags} in the help`);
  const rest = help.slice(at + flags.length + 2);
  const next = rest.search(/ (-[a-z], )?--[a-z-]+[ ,]/);
  return next === -1 ? rest : rest.slice(0, next);
}

describe('help text says what the options do', () => {
  it('watch --check: a failed check keeps watching (watch never exits 1 for it)', async () => {
    const text = optionText(await helpOf('watch'), '--check [url]');
    assert.match(text, /on a failure show the error log's lines and keep watching/);
    assert.doesNotMatch(text, /exit 1/);
  });

  it('reload --check: a failed check exits 1', async () => {
    const text = optionText(await helpOf('reload'), '--check [url]');
    assert.match(text, /on a failure show the error log's lines and exit 1/);
  });

  it('--check shows no "(preset: "")", which is how a bare --check reaches the parser', async () => {
    for (const command of ['reload', 'watch']) {
      const help = await helpOf(command);
      assert.doesNotMatch(help, /preset/, command);
    }
  });

  it('logs -n says its default once', async () => {
    const text = optionText(await helpOf('logs'), '-n, --lines <count>');
    assert.equal(text.split('default').length - 1, 1, text);
    assert.match(text, /\(default 20; 0 for none\)/);
  });
});
