import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ReadBudget } from '../../src/files/safe-files.js';
import { hostFiles, memoryFiles } from '../../src/files/view.js';

const root = mkdtempSync(join(tmpdir(), 'wsgictl-view-'));
after(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'etc/apache2/sites'), { recursive: true });
writeFileSync(join(root, 'etc/apache2/apache2.conf'), 'Include sites/*.conf\n');
writeFileSync(join(root, 'etc/apache2/sites/shop.conf'), 'WSGIDaemonProcess shop\n');
symlinkSync('/etc/apache2/sites/shop.conf', join(root, 'etc/apache2/link.conf'));
symlinkSync('../../../../../../etc/apache2/apache2.conf', join(root, 'etc/apache2/sites/up.conf'));

const code = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
  return 'no error';
};

describe('hostFiles', () => {
  it('reads, lists and stats paths as the instance sees them, inside its root', () => {
    const files = hostFiles(root);
    assert.equal(files.readText('/etc/apache2/apache2.conf'), 'Include sites/*.conf\n');
    assert.deepEqual(files.readDir('/etc/apache2/sites').sort(), ['shop.conf', 'up.conf']);
    assert.equal(files.stat('/etc/apache2/sites').isDirectory, true);
    assert.equal(files.stat('/etc/apache2/apache2.conf').isDirectory, false);
    assert.ok(files.stat('/etc/apache2/apache2.conf').changedMs > 0);
  });

  it("resolves an absolute link, and .. past the top, at the root, not at this machine's /", () => {
    const files = hostFiles(root);
    assert.equal(files.readText('/etc/apache2/link.conf'), 'WSGIDaemonProcess shop\n');
    assert.equal(files.readText('/etc/apache2/sites/up.conf'), 'Include sites/*.conf\n');
  });

  it('throws like fs: ENOENT for a missing file, and refuses a folder as text', () => {
    const files = hostFiles(root);
    assert.equal(
      code(() => files.readText('/etc/apache2/none.conf')),
      'ENOENT',
    );
    assert.notEqual(
      code(() => files.readText('/etc/apache2/sites')),
      'no error',
    );
  });

  it("with root '' reads this machine's own files", () => {
    assert.equal(hostFiles('').readText(join(root, 'etc/apache2/apache2.conf')), 'Include sites/*.conf\n');
  });

  it('charges a budget and stops when it is spent or out of time', () => {
    const small = new ReadBudget(5_000, 30);
    const files = hostFiles(root, small);
    files.readText('/etc/apache2/apache2.conf');
    assert.equal(
      code(() => files.readText('/etc/apache2/sites/shop.conf')),
      'EFBIG',
    );
    const late = hostFiles(root, new ReadBudget(-1));
    assert.equal(
      code(() => late.readDir('/etc')),
      'ETIME',
    );
    assert.equal(
      code(() => late.stat('/etc')),
      'ETIME',
    );
  });
});

describe('memoryFiles', () => {
  const files = memoryFiles(
    { '/srv/httpd.conf': 'Listen 80', '/srv/conf.d/a.conf': 'A', '/srv/conf.d/b/c.conf': 'C' },
    7,
  );

  it("reads a file, lists a folder's direct names once each, stats files and implied folders", () => {
    assert.equal(files.readText('/srv/httpd.conf'), 'Listen 80');
    assert.deepEqual(files.readDir('/srv/conf.d').sort(), ['a.conf', 'b']);
    assert.deepEqual(files.readDir('/srv/').sort(), ['conf.d', 'httpd.conf']);
    assert.deepEqual(files.stat('/srv/conf.d/b'), { isDirectory: true, changedMs: 7 });
    assert.deepEqual(files.stat('/srv/httpd.conf'), { isDirectory: false, changedMs: 7 });
    assert.equal(files.stat('/').isDirectory, true);
  });

  it('throws ENOENT for what it does not hold (a prefix of a name is no folder)', () => {
    assert.equal(
      code(() => files.readText('/srv/none')),
      'ENOENT',
    );
    assert.equal(
      code(() => files.readDir('/srv/conf')),
      'ENOENT',
    );
    assert.equal(
      code(() => files.stat('/srv/conf')),
      'ENOENT',
    );
  });
});
