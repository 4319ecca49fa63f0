import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testUntrustedRegExp } from '../../src/apache/config/bounded-regexp.js';
import { loadApacheConfig } from '../../src/apache/config/reader.js';
import { memoryFiles } from '../../src/files/view.js';
import { planGroupCheck, planUrlCheck } from '../../src/health/targets.js';

const ROOT = '/etc/apache2';

/** The configuration Apache would read from these files, `/etc/apache2/apache2.conf` first. */
function readConfig(files: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  return loadApacheConfig(
    {
      configFile: `${ROOT}/apache2.conf`,
      serverRoot: ROOT,
      defines: new Map(),
      preDirectives: [],
      postDirectives: [],
    },
    env,
    { modules: null, version: null },
    memoryFiles(files),
  );
}

function urls(files: Record<string, string>, group: string) {
  const plan = planGroupCheck(readConfig(files), group);
  return {
    urls: plan.targets.map((t) => `${t.url} @${t.address}:${t.port} Host:${t.host}`),
    unchecked: plan.unchecked,
  };
}

describe('planGroupCheck: the mount points a group serves', () => {
  it('a server-level WSGIScriptAlias with process-group=, on the Listen address with ServerName as Host', () => {
    const { urls: found } = urls(
      {
        [`${ROOT}/apache2.conf`]: [
          'Listen 127.0.0.1:8080',
          'ServerName app.test',
          'WSGIDaemonProcess django processes=2',
          'WSGIDaemonProcess admin',
          'WSGIScriptAlias /shop /srv/shop.wsgi process-group=django application-group=%{GLOBAL}',
          'WSGIScriptAlias /admin /srv/admin.wsgi process-group=admin',
        ].join('\n'),
      },
      'django',
    );
    assert.deepEqual(found, ['http://app.test:8080/shop @127.0.0.1:8080 Host:app.test:8080']);
  });

  it('a WSGIProcessGroup at server level, overridden in a <VirtualHost> and in a <Location>', () => {
    const files = {
      [`${ROOT}/apache2.conf`]: [
        'Listen 80',
        'WSGIProcessGroup django',
        'WSGIScriptAlias /main /srv/main.wsgi',
        'IncludeOptional sites-enabled/*.conf',
      ].join('\n'),
      [`${ROOT}/sites-enabled/shop.conf`]: [
        '<VirtualHost *:80>',
        '  ServerName shop.example.com',
        '  WSGIProcessGroup shop',
        '  WSGIScriptAlias / /srv/shop/app.wsgi',
        '  WSGIScriptAlias /admin /srv/shop/admin.wsgi',
        '  <Location /admin>',
        '    WSGIProcessGroup django',
        '  </Location>',
        '</VirtualHost>',
      ].join('\n'),
    };
    assert.deepEqual(urls(files, 'django').urls, [
      'http://127.0.0.1/main @127.0.0.1:80 Host:127.0.0.1',
      'http://shop.example.com/admin @127.0.0.1:80 Host:shop.example.com',
    ]);
    assert.deepEqual(urls(files, 'shop').urls, [
      'http://shop.example.com/ @127.0.0.1:80 Host:shop.example.com',
    ]);
  });

  it('a WSGIProcessGroup in the <Directory> of the script, and %{GLOBAL} for embedded mode', () => {
    const files = {
      [`${ROOT}/apache2.conf`]: [
        'Listen 10.0.0.5:8000',
        'WSGIScriptAlias /api /srv/api/wsgi.py',
        'WSGIScriptAlias /embedded /srv/other/wsgi.py',
        '<Directory /srv/api>',
        '  WSGIProcessGroup api',
        '</Directory>',
        '<Directory /srv/other>',
        '  WSGIProcessGroup %{GLOBAL}',
        '</Directory>',
      ].join('\n'),
    };
    assert.deepEqual(urls(files, 'api').urls, ['http://10.0.0.5:8000/api @10.0.0.5:8000 Host:10.0.0.5:8000']);
    assert.deepEqual(urls(files, '').urls.length, 0, 'embedded mode is no group');
  });

  it('a WSGIScriptAliasMatch is not requested without a URL, and says so', () => {
    const { urls: found, unchecked } = urls(
      {
        [`${ROOT}/apache2.conf`]:
          'Listen 80\nWSGIScriptAliasMatch ^/api/(\\w+) /srv/$1.wsgi process-group=api\n',
      },
      'api',
    );
    assert.deepEqual(found, []);
    assert.match(
      unchecked[0] ?? '',
      /WSGIScriptAliasMatch \^\/api\/\(\\w\+\) \(\/etc\/apache2\/apache2.conf:2\): a pattern/,
    );
  });

  it('skips what Apache skips: a mount inside a false <IfDefine>', () => {
    const { urls: found } = urls(
      {
        [`${ROOT}/apache2.conf`]:
          'Listen 80\n<IfDefine NOPE>\nWSGIScriptAlias /x /srv/x.wsgi process-group=g\n</IfDefine>\n',
      },
      'g',
    );
    assert.deepEqual(found, []);
  });

  it('a <VirtualHost> inside a section Apache skips is no vhost: its mounts and its address are not used', () => {
    const config = readConfig({
      [`${ROOT}/apache2.conf`]: [
        'Listen 80',
        '<IfDefine NOPE>',
        '<VirtualHost *:8080>',
        '  WSGIScriptAlias /x /srv/x.wsgi process-group=g',
        '</VirtualHost>',
        '</IfDefine>',
        'WSGIScriptAlias /y /srv/y.wsgi process-group=g',
      ].join('\n'),
    });
    assert.equal(config.sites?.vhosts.length, 0);
    const targets = planGroupCheck(config, 'g').targets;
    assert.deepEqual(
      targets.map((t) => [new URL(t.url).pathname, t.port]),
      [['/y', 80]],
    );
  });

  it('an https virtual host (SSLEngine on) on its own address, with SNI name as Host', () => {
    const { urls: found } = urls(
      {
        [`${ROOT}/apache2.conf`]: [
          'Listen 80',
          'Listen 443',
          '<VirtualHost 192.0.2.7:443>',
          '  ServerName https://secure.example.com:443',
          '  SSLEngine on',
          '  WSGIScriptAlias /pay /srv/pay.wsgi process-group=pay',
          '</VirtualHost>',
        ].join('\n'),
      },
      'pay',
    );
    assert.deepEqual(found, ['https://secure.example.com/pay @192.0.2.7:443 Host:secure.example.com']);
  });
});

describe('planUrlCheck: a URL the user gave', () => {
  const config = readConfig({ [`${ROOT}/apache2.conf`]: 'Listen 8080\nServerName app.test\n' });

  it('goes to loopback with the name as Host when Apache listens on every address', () => {
    const target = planUrlCheck(config, 'http://app.test:8080/health?deep=1');
    assert.deepEqual(
      [target.address, target.port, target.host, target.path],
      ['127.0.0.1', 8080, 'app.test:8080', '/health?deep=1'],
    );
  });

  it('refuses a port Apache does not listen on, an outside address and a non-http URL (exit 2)', () => {
    assert.throws(
      () => planUrlCheck(config, 'http://app.test:9999/'),
      /does not listen on port 9999 \(it listens on 8080\)/,
    );
    assert.throws(
      () => planUrlCheck(config, 'http://203.0.113.9:8080/'),
      /not an address this Apache listens on/,
    );
    assert.throws(() => planUrlCheck(config, 'ftp://app.test/'), { exitCode: 2 });
  });
});

describe('a <LocationMatch> pattern from the configuration runs in bounded time', () => {
  it('`(a+)+$` against a 30-character URL ends, and the mount is listed as undecided', () => {
    const url = `/${'a'.repeat(29)}!`;
    const started = Date.now();
    const { urls: found, unchecked } = urls(
      {
        [`${ROOT}/apache2.conf`]: [
          'Listen 127.0.0.1:8080',
          'WSGIDaemonProcess django',
          `WSGIScriptAlias ${url} /srv/app.wsgi`,
          '<LocationMatch "^/(a+)+$">',
          '  WSGIProcessGroup django',
          '</LocationMatch>',
        ].join('\n'),
      },
      'django',
    );
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.deepEqual(found, []);
    assert.match(
      unchecked[0] ?? '',
      /which group serves it cannot be told \(a section's pattern ran too long\)/,
    );
  });

  it('an ordinary pattern still decides; a runaway one is null, not a hang', () => {
    assert.equal(testUntrustedRegExp('^/api', '/api/x'), true);
    assert.equal(testUntrustedRegExp('^/api', '/web'), false);
    const started = Date.now();
    assert.equal(testUntrustedRegExp('^(a+)+$', `${'a'.repeat(30)}!`), null);
    assert.ok(Date.now() - started < 1000);
    assert.equal(testUntrustedRegExp('x'.repeat(2000), 'x'), null);
  });
});
