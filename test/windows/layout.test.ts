import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apacheLayout, parseApacheCommandLine } from '../../src/apache/config/model.js';

describe('parseApacheCommandLine defaults per platform layout', () => {
  it('Windows: ps-list gives only httpd.exe, so C:/Apache24/conf/httpd.conf', () => {
    const line = parseApacheCommandLine(['httpd.exe'], 'httpd.exe', apacheLayout('win32'));
    assert.equal(line.serverRoot, 'C:/Apache24');
    assert.equal(line.configFile, 'C:/Apache24/conf/httpd.conf');
  });
  it('Windows: -d and -f still win when a command line is known', () => {
    const line = parseApacheCommandLine(
      ['C:\\xampp\\apache\\bin\\httpd.exe', '-d', 'C:/xampp/apache', '-f', 'conf/httpd.conf'],
      'httpd.exe',
      apacheLayout('win32'),
    );
    assert.equal(line.configFile, 'C:/xampp/apache/conf/httpd.conf');
  });
  it('macOS Homebrew (Apple silicon and Intel) and the system httpd', () => {
    const mac = apacheLayout('darwin');
    assert.equal(
      parseApacheCommandLine(['/opt/homebrew/opt/httpd/bin/httpd', '-D', 'FOREGROUND'], 'httpd', mac)
        .configFile,
      '/opt/homebrew/etc/httpd/httpd.conf',
    );
    assert.equal(
      parseApacheCommandLine(['/usr/local/opt/httpd/bin/httpd', '-D', 'FOREGROUND'], 'httpd', mac).configFile,
      '/usr/local/etc/httpd/httpd.conf',
    );
    const system = parseApacheCommandLine(['/usr/sbin/httpd', '-D', 'FOREGROUND'], 'httpd', mac);
    assert.deepEqual([system.serverRoot, system.configFile], ['/usr', '/etc/apache2/httpd.conf']);
    assert.deepEqual([...system.defines.keys()], ['FOREGROUND']);
  });
  it('Linux keeps the Debian and RHEL defaults', () => {
    const linux = apacheLayout('linux');
    assert.equal(
      parseApacheCommandLine(['/usr/sbin/apache2', '-k', 'start'], 'apache2', linux).configFile,
      '/etc/apache2/apache2.conf',
    );
    assert.equal(
      parseApacheCommandLine(['/usr/sbin/httpd'], 'httpd', linux).configFile,
      '/etc/httpd/conf/httpd.conf',
    );
  });
});
