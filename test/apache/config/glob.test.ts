import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandInclude, nearestExisting } from '../../../src/apache/config/glob.js';
import { memoryFiles } from '../../../src/files/view.js';

const files = memoryFiles({
  '/etc/web/sites/b.conf': '',
  '/etc/web/sites/a.conf': '',
  '/etc/web/sites/B.conf': '',
  '/etc/web/sites/é.conf': '',
  '/etc/web/sites/.hidden.conf': '',
  '/etc/web/sites/x.txt': '',
  '/etc/web/sites/star*.conf': '',
  '/etc/web/sites/[x.conf': '',
  '/etc/web/conf.d/z.conf': '',
  '/etc/web/conf.d/.dot.conf': '',
  '/etc/web/conf.d/sub/y.conf': '',
  '/etc/web/apps/one/app.conf': '',
  '/etc/web/apps/two/app.conf': '',
  '/etc/web/apps/file.conf': '',
});

describe('expandInclude, as Apache expands an Include path', () => {
  it('sorts matches in strcmp (byte) order and leaves dot files to patterns that name them', () => {
    assert.deepEqual(expandInclude(files, '/etc/web/sites/*.conf').files, [
      '/etc/web/sites/B.conf',
      '/etc/web/sites/[x.conf',
      '/etc/web/sites/a.conf',
      '/etc/web/sites/b.conf',
      '/etc/web/sites/star*.conf',
      '/etc/web/sites/é.conf',
    ]);
    assert.deepEqual(expandInclude(files, '/etc/web/sites/.*.conf').files, ['/etc/web/sites/.hidden.conf']);
  });

  it('reads bracket expressions with ! or ^, escapes, and a [ that no ] closes as itself', () => {
    assert.deepEqual(expandInclude(files, '/etc/web/sites/[!ab]*.conf').files, [
      '/etc/web/sites/B.conf',
      '/etc/web/sites/[x.conf',
      '/etc/web/sites/star*.conf',
      '/etc/web/sites/é.conf',
    ]);
    assert.deepEqual(expandInclude(files, '/etc/web/sites/[^ab].conf').files, ['/etc/web/sites/B.conf']);
    assert.deepEqual(expandInclude(files, '/etc/web/sites/star\\*.c*').files, ['/etc/web/sites/star*.conf']);
    // With nothing else to expand, apr_fnmatch_test sees no wildcard: the backslash is part of the name.
    assert.deepEqual(expandInclude(files, '/etc/web/sites/star\\*.conf').files, []);
    assert.deepEqual(expandInclude(files, '/etc/web/sites/[x.conf').files, ['/etc/web/sites/[x.conf']);
  });

  it('includes every file below a directory, dot files and sub-folders too', () => {
    assert.deepEqual(expandInclude(files, '/etc/web/conf.d').files, [
      '/etc/web/conf.d/.dot.conf',
      '/etc/web/conf.d/sub/y.conf',
      '/etc/web/conf.d/z.conf',
    ]);
  });

  it('matches only folders with a wildcard before the last segment, in order', () => {
    const expansion = expandInclude(files, '/etc/web/apps/*/app.conf');
    assert.deepEqual(expansion.files, ['/etc/web/apps/one/app.conf', '/etc/web/apps/two/app.conf']);
    assert.deepEqual(expansion.consulted, ['/etc/web/apps']);
  });

  it('consults the nearest existing ancestor of what is missing', () => {
    const expansion = expandInclude(files, '/etc/web/missing/deeper/*.conf');
    assert.deepEqual(expansion, { files: [], consulted: ['/etc/web'], unreadable: [] });
    assert.equal(nearestExisting(files, '/nowhere/at/all'), '/');
  });
});
