import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitDirectiveName, splitDirectives, splitWords } from '../../../src/apache/config/tokenize.js';

describe('splitWords', () => {
  it('splits on any white space and drops empty runs', () => {
    assert.deepEqual(splitWords('  a\tb \n c  '), ['a', 'b', 'c']);
    assert.deepEqual(splitWords(''), []);
    assert.deepEqual(splitWords('   '), []);
  });

  it('groups quoted text, double or single, with its spaces', () => {
    assert.deepEqual(splitWords(`"a b" 'c d' e`), ['a b', 'c d', 'e']);
    assert.deepEqual(splitWords(`'it"s'`), ['it"s']);
  });

  it('joins a quote that follows key= to the same word', () => {
    assert.deepEqual(splitWords(`django display-name='(wsgi: x)' user=www`), [
      'django',
      'display-name=(wsgi: x)',
      'user=www',
    ]);
    assert.deepEqual(splitWords('a"b c"d'), ['ab cd']);
  });

  it('keeps an empty quoted word as a word', () => {
    assert.deepEqual(splitWords(`a "" b`), ['a', '', 'b']);
  });

  it('unescapes only the quote and the backslash inside quotes', () => {
    assert.deepEqual(splitWords(String.raw`"a\"b" "c\\d" "e\nf"`), [
      'a"b',
      String.raw`c\d`,
      String.raw`e\nf`,
    ]);
    // Outside quotes a backslash is an ordinary character.
    assert.deepEqual(splitWords(String.raw`a\"b`), [String.raw`a\b`]);
  });

  it('ends an unclosed quote at the end of the text', () => {
    assert.deepEqual(splitWords(`a "b c`), ['a', 'b c']);
  });
});

describe('splitDirectives', () => {
  it('drops comments and blank lines and numbers lines from 1', () => {
    assert.deepEqual(splitDirectives('# a comment\n\n  Listen 80\nServerName  x.example  \n'), [
      { directive: 'Listen', args: '80', line: 3 },
      { directive: 'ServerName', args: 'x.example', line: 4 },
    ]);
  });

  it('reads CRLF line ends', () => {
    assert.deepEqual(splitDirectives('A 1\r\nB 2\r\n'), [
      { directive: 'A', args: '1', line: 1 },
      { directive: 'B', args: '2', line: 2 },
    ]);
  });

  it('joins a backslash continuation as httpd does: the next line appended as it is', () => {
    assert.deepEqual(splitDirectives('WSGIDaemonProcess x \\\n    processes=2\\\nthreads=3\nNext'), [
      { directive: 'WSGIDaemonProcess', args: 'x     processes=2threads=3', line: 1 },
      { directive: 'Next', args: '', line: 4 },
    ]);
  });

  it("keeps a comment's continuation as comment", () => {
    assert.deepEqual(splitDirectives('# comment \\\nListen 80\nListen 81'), [
      { directive: 'Listen', args: '81', line: 3 },
    ]);
  });

  it('keeps a backslash on the last line of the file', () => {
    assert.deepEqual(splitDirectives('Define X \\'), [{ directive: 'Define', args: 'X \\', line: 1 }]);
  });

  it('does not treat # after a directive as a comment (httpd does not either)', () => {
    assert.deepEqual(splitDirectives('Listen 80 # no'), [{ directive: 'Listen', args: '80 # no', line: 1 }]);
  });
});

describe('splitDirectiveName', () => {
  it('splits the name from the rest, leading space ignored', () => {
    assert.deepEqual(splitDirectiveName('  <IfModule  mod_wsgi.c>'), {
      directive: '<IfModule',
      args: 'mod_wsgi.c>',
    });
    assert.deepEqual(splitDirectiveName('Listen'), { directive: 'Listen', args: '' });
    assert.deepEqual(splitDirectiveName('   '), { directive: '', args: '' });
  });
});
