import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MacroTable } from '../../../src/apache/config/macros.js';
import { splitDirectives } from '../../../src/apache/config/tokenize.js';

/** The lines of a config text and the index of its first `<Macro` line. */
function linesOf(text: string) {
  const lines = splitDirectives(text);
  return { lines, start: lines.findIndex((line) => line.directive.toLowerCase() === '<macro') };
}

describe('MacroTable.readDefinition', () => {
  it("returns the index of the body's </Macro> and remembers whether the body is relevant", () => {
    const table = new MacroTable();
    const { lines, start } = linesOf(
      '<Macro App $name>\n  WSGIDaemonProcess $name\n</Macro>\n<Macro Plain $x>\n  ServerAlias $x\n</Macro>\nListen 80',
    );
    const end = table.readDefinition(lines, start, lines[start]?.args ?? null);
    assert.equal(lines[end]?.directive, '</Macro>');
    assert.equal(end, 2);
    const second = table.readDefinition(lines, 3, lines[3]?.args ?? null);
    assert.equal(second, 5);
    assert.equal(table.isRelevant('App'), true);
    assert.equal(table.isRelevant('Plain'), false);
  });

  it('folds case of macro names, as mod_macro does', () => {
    const table = new MacroTable();
    const { lines, start } = linesOf('<Macro MyApp>\nInclude x.conf\n</Macro>');
    table.readDefinition(lines, start, lines[start]?.args ?? null);
    assert.equal(table.isRelevant('myapp'), true);
    assert.equal(table.isRelevant('MYAPP'), true);
    assert.equal(table.isRelevant(undefined), false);
  });

  it('skips nested <Macro> sections and counts their bodies for the outer one', () => {
    const table = new MacroTable();
    const { lines, start } = linesOf(
      '<Macro Outer>\n<Macro Inner>\nDefine X\n</Macro>\nServerAlias a\n</Macro>\nListen 80',
    );
    const end = table.readDefinition(lines, start, lines[start]?.args ?? null);
    assert.equal(end, 5);
    assert.equal(table.isRelevant('Outer'), true);
    // The inner one is only defined when the outer is used, which wsgictl does not expand.
    assert.equal(table.isRelevant('Inner'), false);
  });

  it('is relevant through a Use of a relevant macro', () => {
    const table = new MacroTable();
    const { lines } = linesOf(
      '<Macro Group $n>\nWSGIDaemonProcess $n\n</Macro>\n<Macro Site $n>\nUse group $n\n</Macro>\n<Macro Other>\nUse Missing\n</Macro>',
    );
    table.readDefinition(lines, 0, lines[0]?.args ?? null);
    table.readDefinition(lines, 3, lines[3]?.args ?? null);
    table.readDefinition(lines, 6, lines[6]?.args ?? null);
    assert.equal(table.isRelevant('Site'), true);
    assert.equal(table.isRelevant('Other'), false);
  });

  it('defines nothing for a section that is not read (args null), but still skips it', () => {
    const table = new MacroTable();
    const { lines, start } = linesOf('<Macro Skipped>\nWSGIDaemonProcess x\n</Macro>');
    assert.equal(table.readDefinition(lines, start, null), 2);
    assert.equal(table.isRelevant('Skipped'), false);
  });

  it('reads the name from args with the closing > and a quoted name', () => {
    const table = new MacroTable();
    const { lines } = linesOf('<Macro "Quoted" $a>\nUser x\n</Macro>');
    table.readDefinition(lines, 0, lines[0]?.args ?? null);
    assert.equal(table.isRelevant('Quoted'), true);
  });

  it('runs to the end of the lines when </Macro> is missing', () => {
    const table = new MacroTable();
    const { lines, start } = linesOf('<Macro Open>\nDefine X\nListen 80');
    assert.equal(table.readDefinition(lines, start, lines[start]?.args ?? null), lines.length);
  });

  it('forgets a macro on remove (UndefMacro)', () => {
    const table = new MacroTable();
    const { lines, start } = linesOf('<Macro Gone>\nDefine X\n</Macro>');
    table.readDefinition(lines, start, lines[start]?.args ?? null);
    table.remove('GONE');
    assert.equal(table.isRelevant('Gone'), false);
  });
});
