import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadApacheConfig } from '../../src/apache/config/reader.js';
import { findGroupErrorLogs, resolveErrorLog } from '../../src/errorlog/locate.js';
import { memoryFiles } from '../../src/files/view.js';

const ROOT = '/etc/apache2';
const ENVVARS = 'export APACHE_RUN_USER=www-data\nexport APACHE_LOG_DIR=/var/log/apache2$SUFFIX\n';

describe('resolveErrorLog', () => {
  const files = memoryFiles({ [`${ROOT}/envvars`]: ENVVARS });

  it('a relative path is under ServerRoot; none at all is httpd’s logs/error_log', () => {
    assert.equal(resolveErrorLog('logs/app.log', '/srv/httpd', files).path, '/srv/httpd/logs/app.log');
    assert.equal(resolveErrorLog(null, '/srv/httpd', files).path, '/srv/httpd/logs/error_log');
  });

  it('syslog and piped logs are reported as not readable', () => {
    assert.deepEqual(resolveErrorLog('syslog:local7', ROOT, files), {
      path: null,
      written: 'syslog:local7',
      reason: 'not readable: syslog',
    });
    assert.equal(
      resolveErrorLog('|/usr/bin/rotatelogs /x 86400', ROOT, files).reason,
      'not readable: piped log',
    );
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: Apache's own ${VAR} syntax
  it('Debian’s ${APACHE_LOG_DIR} from envvars when the parent’s environment could not be read', () => {
    assert.equal(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Apache's own ${VAR} syntax
      resolveErrorLog('${APACHE_LOG_DIR}/error.log', ROOT, files).path,
      '/var/log/apache2/error.log',
    );
    const second = memoryFiles({ '/etc/apache2-two/envvars': ENVVARS });
    assert.equal(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Apache's own ${VAR} syntax
      resolveErrorLog('${APACHE_LOG_DIR}/error.log', '/etc/apache2-two', second).path,
      '/var/log/apache2-two/error.log',
    );
  });
});

describe('findGroupErrorLogs', () => {
  it('the main server’s log and the log of each virtual host that mounts the group', () => {
    const files = memoryFiles({
      [`${ROOT}/apache2.conf`]: [
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Apache's own ${VAR} syntax
        'ErrorLog ${APACHE_LOG_DIR}/error.log',
        'WSGIDaemonProcess shop',
        '<VirtualHost *:80>',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Apache's own ${VAR} syntax
        '  ErrorLog ${APACHE_LOG_DIR}/shop-error.log',
        '  WSGIScriptAlias / /srv/shop.wsgi process-group=shop',
        '</VirtualHost>',
        '<VirtualHost *:81>',
        '  ErrorLog syslog',
        '  WSGIScriptAlias / /srv/other.wsgi process-group=other',
        '</VirtualHost>',
      ].join('\n'),
    });
    const config = loadApacheConfig(
      {
        configFile: `${ROOT}/apache2.conf`,
        serverRoot: ROOT,
        defines: new Map(),
        preDirectives: [],
        postDirectives: [],
      },
      { APACHE_LOG_DIR: '/var/log/apache2' },
      { modules: null, version: null },
      files,
    );
    assert.deepEqual(
      findGroupErrorLogs(config, 'shop', files).map((log) => log.path),
      ['/var/log/apache2/error.log', '/var/log/apache2/shop-error.log'],
    );
    assert.deepEqual(
      findGroupErrorLogs(config, 'other', files).map((log) => log.reason ?? log.path),
      ['/var/log/apache2/error.log', 'not readable: syslog'],
    );
  });
});
