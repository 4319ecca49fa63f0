import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundPaths, lsofArguments, parseLsofFields } from '../../src/processes/lsof.js';
import { macFixture } from './macos-fakes.js';

describe('lsofArguments', () => {
  it('asks once for the unix sockets of every pid, numbers only, in field form', () => {
    assert.deepEqual(lsofArguments([612, 640, 641]), [
      '-nP',
      '-w',
      '-U',
      '-a',
      '-p',
      '612,640,641',
      '-F',
      'pn',
    ]);
  });
});

describe('parseLsofFields (test/fixtures/macos)', () => {
  it('groups the names by process set, fd lines ignored', () => {
    const names = parseLsofFields(macFixture('homebrew', 'lsof.txt'));
    assert.deepEqual(names.get(612), [
      '/opt/homebrew/var/run/httpd/wsgi.612.0.1.sock',
      '/opt/homebrew/var/run/httpd/wsgi.612.0.2.sock',
      '/opt/homebrew/var/run/httpd/wsgi.612.0.3.sock',
    ]);
    assert.deepEqual(names.get(640), [
      '/opt/homebrew/var/run/httpd/wsgi.612.0.1.sock',
      '/opt/homebrew/var/run/httpd/wsgi.612.0.1.sock',
    ]);
    assert.deepEqual(names.get(650), ['->0xd1c3f0a2b4e65c17']);
  });

  it('keeps a process set with no names, reads CRLF, and ignores names before any process', () => {
    const names = parseLsofFields('n/orphan\r\np5\r\np6\r\nf3\r\nn/tmp/s.sock\r\n');
    assert.deepEqual(
      [...names],
      [
        [5, []],
        [6, ['/tmp/s.sock']],
      ],
    );
  });

  it('skips a p line that is not a pid', () => {
    assert.deepEqual([...parseLsofFields('pabc\nn/x\np7\nn/y\n')], [[7, ['/y']]]);
  });
});

describe('boundPaths', () => {
  it('keeps bound paths only, once each: not peers, not no address', () => {
    assert.deepEqual(
      [...boundPaths(['/a.sock', '->0x1', 'no address', '/a.sock', '/b.sock'])],
      ['/a.sock', '/b.sock'],
    );
  });
});
