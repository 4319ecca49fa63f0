import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchVersion } from '../../../src/apache/config/version.js';

const refused = (why: string) => ({ undecided: `Apache refuses this <IfVersion> (${why})` });

describe('matchVersion', () => {
  it('compares with = (the default), <, <=, > and >=', () => {
    const cases: [string[], boolean][] = [
      [['2.4.62'], true],
      [['=', '2.4.62'], true],
      [['==', '2.4.62'], true],
      [['2.4'], false], // missing fields count as 0: = 2.4 holds for 2.4.0 only
      [['<', '2.5'], true],
      [['<', '2.4.62'], false],
      [['<=', '2.4.62'], true],
      [['>', '2.4'], true],
      [['>', '2.4.62'], false],
      [['>=', '2.4.62'], true],
      [['>=', '3'], false],
      [['>', '2.4.9'], true], // numbers, not text
    ];
    for (const [args, expected] of cases)
      assert.equal(matchVersion(args, '2.4.62'), expected, args.join(' '));
  });

  it('negates with !', () => {
    assert.equal(matchVersion(['!=', '2.4.62'], '2.4.62'), false);
    assert.equal(matchVersion(['!<', '2.4'], '2.4.62'), true);
    assert.equal(matchVersion(['!~', '^2'], '2.4.62'), false);
  });

  it('matches a regular expression with ~ or =/.../, against the version and its suffix', () => {
    assert.equal(matchVersion(['~', '^2\\.4'], '2.4.62'), true);
    assert.equal(matchVersion(['=', '/^2\\.2/'], '2.4.62'), false);
    assert.equal(matchVersion(['=', '/-dev$/'], '2.5.1-dev'), true);
    assert.equal(matchVersion(['~', '^2\\.4\\.[[:digit:]]+$'], '2.4.62'), true);
  });

  it('reads a partial server version with zeros', () => {
    assert.equal(matchVersion(['2.4.0'], '2.4'), true);
    assert.equal(matchVersion(['=', '2.4.'], '2.4.0'), true);
  });

  it('is undecided for what Apache refuses to start with', () => {
    assert.deepEqual(matchVersion([], '2.4.62'), refused('expected an operator and a version'));
    assert.deepEqual(matchVersion(['>', '2', 'x'], '2.4.62'), refused('expected an operator and a version'));
    assert.deepEqual(matchVersion(['=>', '2.4'], '2.4.62'), refused("unrecognized operator '=>'"));
    assert.deepEqual(matchVersion(['~=', '2.4'], '2.4.62'), refused("unrecognized operator '~='"));
    assert.deepEqual(matchVersion(['!', '2.4'], '2.4.62'), refused("unrecognized operator '!'"));
    assert.deepEqual(matchVersion(['>', 'v2'], '2.4.62'), refused("'v2' is not major[.minor[.patch]]"));
    assert.deepEqual(
      matchVersion(['>', '2.4.1.1'], '2.4.62'),
      refused("'2.4.1.1' is not major[.minor[.patch]]"),
    );
    assert.deepEqual(
      matchVersion(['=', '/2.4'], '2.4.62'),
      refused('missing delimiting / of the expression'),
    );
    assert.deepEqual(matchVersion(['~', '('], '2.4.62'), refused('cannot compile /(/'));
  });
});
