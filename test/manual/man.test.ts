import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildProgram } from '../../src/cli.js';
import { EXIT } from '../../src/errors.js';
import { EXIT_MEANINGS, escapeRoff, renderManPage } from '../../src/manual/man.js';
import { recordingContext } from '../helpers/context.js';

const program = () => buildProgram(recordingContext().context);

describe('renderManPage', () => {
  const page = renderManPage(program(), { version: '0.2.0', date: '2026-12-03' });

  it('has every visible command and every option of each, as --help lists them', () => {
    for (const command of program().commands) {
      if (command.name() === 'help') continue;
      assert.match(page, new RegExp(`^\\.SS "wsgictl ${command.name()} `, 'm'), command.name());
      for (const option of command.createHelp().visibleOptions(command)) {
        assert.ok(page.includes(`.B ${escapeRoff(command.createHelp().optionTerm(option))}\n`), option.flags);
      }
    }
    // A hidden option stays out, as it does in --help.
    assert.equal(page.includes('\\-\\-list'), false);
  });

  it('keeps the text after a command help (durations) and lists every exit code', () => {
    assert.match(page, /Durations: 500ms, 2s, 1m; a bare number is seconds\./);
    assert.deepEqual(Object.keys(EXIT_MEANINGS).sort(), Object.keys(EXIT).sort());
    for (const code of Object.values(EXIT)) assert.match(page, new RegExp(`^\\.B ${code}$`, 'm'));
  });

  it('escapes what roff would read as requests or escapes', () => {
    assert.equal(escapeRoff(".TH x\n'quote\na\\b-c"), "\\&.TH x\n\\&'quote\na\\eb\\-c");
  });
});
