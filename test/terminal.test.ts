import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPaint } from '../src/cli/color.js';
import {
  FIELD_MAX_CHARS,
  LINE_MAX_CHARS,
  neutralise,
  neutraliseDeep,
  neutraliseLines,
} from '../src/terminal.js';
import { findRawControl } from './helpers/terminal.js';

describe('neutralise (a single-line field)', () => {
  it('leaves ordinary text alone, letters of every script and emoji too', () => {
    for (const text of ['django', '/etc/apache2/apache2.conf', 'Ünïcödé ß 日本語 עברית', 'snake 🐍', '']) {
      assert.equal(neutralise(text), text);
    }
  });

  it('shows every C0 control, DEL and C1 escaped, as Apache writes them in its log', () => {
    assert.equal(neutralise('\x1b]0;pwned\x07'), '\\x1b]0;pwned\\x07');
    assert.equal(neutralise('a\x00b\x1fc\x7fd'), 'a\\x00b\\x1fc\\x7fd');
    assert.equal(neutralise('\x9b2J\x90\x9d\x80\x9f'), '\\x9b2J\\x90\\x9d\\x80\\x9f');
    for (let code = 0; code < 0xa0; code++) {
      if (code >= 0x20 && code < 0x7f) continue;
      const shown = neutralise(`<${String.fromCharCode(code)}>`);
      assert.equal(findRawControl(shown), undefined);
      assert.match(shown, /^<\\(x[0-9a-f]{2}|[tnr])>$/, `U+${code.toString(16)}`);
    }
  });

  it('escapes tab and line breaks too: a field stays on its line', () => {
    assert.equal(neutralise('a\tb\nc\r\nd'), 'a\\tb\\nc\\r\\nd');
  });

  it('escapes what reorders text on screen: bidi overrides, isolates, marks; and lone surrogates', () => {
    assert.equal(neutralise('admin\u202egnp.exe'), 'admin\\u202egnp.exe');
    for (const char of ['\u202a', '\u202b', '\u202c', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069']) {
      assert.equal(neutralise(char), `\\u${char.charCodeAt(0).toString(16)}`);
    }
    assert.equal(neutralise('\u200e\u200f\u061c\u2028\u2029'), '\\u200e\\u200f\\u061c\\u2028\\u2029');
    assert.equal(neutralise('a\ud800b\udc00c'), 'a\\ud800b\\udc00c');
    assert.equal(neutralise('\ud83d\udc0d'), '\ud83d\udc0d', 'a surrogate pair is a character');
  });

  it('cuts a long value with how much is left out, never longer than the limit', () => {
    const long = 'x'.repeat(100_000);
    const shown = neutralise(long);
    assert.ok(shown.length <= FIELD_MAX_CHARS);
    const [, kept, more] = /^(x+)\.\.\.\((\d+) more\)$/.exec(shown) ?? [];
    assert.equal(Number(more) + (kept?.length ?? 0), long.length);
    assert.equal(
      neutralise('x'.repeat(FIELD_MAX_CHARS)),
      'x'.repeat(FIELD_MAX_CHARS),
      'up to the limit: whole',
    );
    assert.equal(neutralise('abcdefghijklmnopqrstuvwxyz', 20), 'abcdefgh...(18 more)');
  });

  it('counts escapes in the limit and never cuts one in half, nor a surrogate pair', () => {
    const shown = neutralise('\x1b'.repeat(1000), 40);
    assert.ok(shown.length <= 40);
    assert.match(shown, /^(\\x1b)+\.\.\.\(\d+ more\)$/);
    const emoji = neutralise('🐍'.repeat(100), 30);
    assert.doesNotMatch(emoji, /[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('twice is once: the output of a cut or an escape passes unchanged', () => {
    for (const text of ['\x1b[2J', 'y'.repeat(5000), `${'\x9b'.repeat(300)}tail`, 'plain']) {
      const once = neutralise(text);
      assert.equal(neutralise(once), once);
    }
  });

  it('colour added after it still works, and a group name cannot add its own', async () => {
    const paint = await createPaint(1);
    const shown = paint.red(neutralise('evil\x1b[8mhidden'));
    assert.equal(shown, '\x1b[31mevil\\x1b[8mhidden\x1b[39m');
  });
});

describe('neutraliseLines (log lines, a traceback, a host’s output)', () => {
  it('keeps tabs and line breaks (CRLF too), escapes every other control', () => {
    assert.equal(neutraliseLines('a\tb\nc\x1b]52;c;aGk=\x07\r\nd\n'), 'a\tb\nc\\x1b]52;c;aGk=\\x07\r\nd\n');
  });

  it('escapes a lone CR, which would let a line be written over', () => {
    assert.equal(neutraliseLines('all is fine\rERROR: hidden\n'), 'all is fine\\rERROR: hidden\n');
  });

  it('cuts each line on its own', () => {
    const text = `${'a'.repeat(LINE_MAX_CHARS + 10)}\nshort\n`;
    const lines = neutraliseLines(text).split('\n');
    assert.equal(lines.length, 3);
    assert.ok((lines[0] ?? '').length <= LINE_MAX_CHARS);
    assert.match(lines[0] ?? '', /\.\.\.\(\d+ more\)$/);
    assert.equal(lines[1], 'short');
  });
});

describe('neutraliseDeep (data for a renderer)', () => {
  it('neutralises every string of plain data, in Maps and Sets too, and leaves the rest', () => {
    const started = new Date(0);
    const data = {
      name: 'g\x1b[2J',
      count: 3,
      nothing: null,
      when: started,
      list: ['ok', '\x07'],
      services: new Map([[1, 'svc\x9b']]),
      tags: new Set(['\u202e']),
      nested: { deeper: { text: 'a\nb' } },
    };
    const shown = neutraliseDeep(data);
    assert.deepEqual(shown, {
      name: 'g\\x1b[2J',
      count: 3,
      nothing: null,
      when: started,
      list: ['ok', '\\x07'],
      services: new Map([[1, 'svc\\x9b']]),
      tags: new Set(['\\u202e']),
      nested: { deeper: { text: 'a\\nb' } },
    });
    assert.equal(shown.when, started, 'a Date is kept, not copied');
    assert.equal(data.name, 'g\x1b[2J', 'the original is untouched (JSON output prints it exact)');
  });

  it('survives shared and circular references', () => {
    const shared = { text: '\x1b' };
    const data: { a: object; b: object; self?: unknown } = { a: shared, b: shared };
    data.self = data;
    const shown = neutraliseDeep(data);
    assert.equal(shown.a, shown.b);
    assert.equal(shown.self, shown);
    assert.deepEqual(shown.a, { text: '\\x1b' });
  });

  it('cuts each string at the limit it is given', () => {
    const shown = neutraliseDeep({ line: 'z'.repeat(2000) }, 100);
    assert.ok(shown.line.length <= 100);
  });
});

describe('JSON output stays exact', () => {
  it('JSON.stringify escapes C0 itself; C1 and bidi stay as they are: valid JSON that parses back exact', () => {
    const value = { name: '\x1b]0;t\x07\x9b\u202e' };
    const text = JSON.stringify(value);
    assert.ok(![...text].some((char) => char.charCodeAt(0) < 0x20), text);
    assert.deepEqual(JSON.parse(text), value);
  });
});
