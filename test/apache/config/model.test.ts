import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  apacheLayout,
  parseApacheCommandLine,
  resolveWindowsPath,
  windowsLayoutAt,
} from '../../../src/apache/config/model.js';

const MAC = apacheLayout('darwin');

describe('macOS Apache layout', () => {
  it("takes Homebrew's configuration from the prefix the program runs from", () => {
    for (const argv0 of [
      '/opt/homebrew/opt/httpd/bin/httpd',
      '/opt/homebrew/Cellar/httpd/2.4.62/bin/httpd',
      '/opt/homebrew/bin/httpd',
    ]) {
      assert.equal(
        parseApacheCommandLine([argv0, '-D', 'FOREGROUND'], 'httpd', MAC).configFile,
        '/opt/homebrew/etc/httpd/httpd.conf',
      );
    }
    const intel = parseApacheCommandLine(['/usr/local/opt/httpd/bin/httpd'], 'httpd', MAC);
    assert.deepEqual(
      [intel.serverRoot, intel.configFile],
      ['/usr/local/opt/httpd', '/usr/local/etc/httpd/httpd.conf'],
    );
  });

  it("takes the system's for /usr/sbin/httpd, and ROOT/conf for a build of its own", () => {
    const system = parseApacheCommandLine(['/usr/sbin/httpd', '-D', 'FOREGROUND'], 'httpd', MAC);
    assert.deepEqual([system.serverRoot, system.configFile], ['/usr', '/etc/apache2/httpd.conf']);
    const own = parseApacheCommandLine(['/usr/local/apache2/bin/httpd', '-k', 'start'], 'httpd', MAC);
    assert.equal(own.configFile, '/usr/local/apache2/conf/httpd.conf');
  });

  it('for a bare or renamed program, the first usual configuration that exists; -f and -d always win', () => {
    const present = new Set(['/usr/local/etc/httpd/httpd.conf']);
    const exists = (path: string) => present.has(path);
    assert.equal(
      parseApacheCommandLine(['httpd', '-k', 'start'], 'httpd', MAC, exists).configFile,
      '/usr/local/etc/httpd/httpd.conf',
    );
    assert.equal(
      parseApacheCommandLine(['httpd'], 'httpd', MAC, () => false).configFile,
      '/etc/apache2/httpd.conf',
    );
    const express = parseApacheCommandLine(
      ['httpd (mod_wsgi-express) ', '-f', '/var/tmp/mod_wsgi-localhost:8000:501/httpd.conf', '-k', 'start'],
      'httpd',
      MAC,
      exists,
    );
    assert.equal(express.configFile, '/var/tmp/mod_wsgi-localhost:8000:501/httpd.conf');
    const rooted = parseApacheCommandLine(
      ['/opt/homebrew/bin/httpd', '-d', '/srv/web', '-f', 'conf/site.conf'],
      'httpd',
      MAC,
    );
    assert.deepEqual([rooted.serverRoot, rooted.configFile], ['/srv/web', '/srv/web/conf/site.conf']);
  });
});

describe('the Windows path rule', () => {
  it('reads a file against the ServerRoot as Windows does and writes it with /', () => {
    assert.equal(resolveWindowsPath('C:/Apache24', 'conf\\httpd.conf'), 'C:/Apache24/conf/httpd.conf');
    assert.equal(resolveWindowsPath('C:/Apache24', 'D:\\sites\\app.conf'), 'D:/sites/app.conf');
  });

  it('is the one the platform layout and a layout at another ServerRoot both use', () => {
    const other = windowsLayoutAt('D:\\Apps\\Apache24');
    assert.deepEqual(other.defaults('', ''), {
      serverRoot: 'D:/Apps/Apache24',
      configFile: 'conf/httpd.conf',
    });
    assert.equal(other.resolve, resolveWindowsPath);
    assert.equal(apacheLayout('win32').resolve, resolveWindowsPath);
    assert.deepEqual(
      parseApacheCommandLine(['httpd.exe'], 'httpd.exe', apacheLayout('win32')).configFile,
      'C:/Apache24/conf/httpd.conf',
    );
  });
});
