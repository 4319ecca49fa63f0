import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parsePasswd, userName } from '../../src/processes/users.js';

describe('parsePasswd', () => {
  it('maps uid to name; the first entry of a uid wins; comments and broken lines are skipped', () => {
    const text = [
      'root:x:0:0:root:/root:/bin/bash',
      'toor:x:0:0::/root:/bin/sh',
      '# a comment',
      'www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin',
      'broken:x:abc:1::/:/bin/sh',
      ':x:5:5::/:/bin/sh',
      'short',
      '+@netgroup::::::',
      '',
    ].join('\n');
    assert.deepEqual(
      [...parsePasswd(text)],
      [
        [0, 'root'],
        [33, 'www-data'],
      ],
    );
  });
});

describe('userName', () => {
  it("names a uid from this machine's /etc/passwd", () => {
    const root = parsePasswd(readFileSync('/etc/passwd', 'utf8')).get(0);
    assert.equal(userName(0), root);
    assert.equal(userName(0), 'root');
  });

  it('is the uid itself when it has no entry', () => {
    assert.equal(userName(4_000_000_123), '4000000123');
  });
});
