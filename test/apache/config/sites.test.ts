import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSites, SiteCollector, splitAddress } from '../../../src/apache/config/sites.js';

describe('splitAddress', () => {
  it('reads host:port, [v6]:port, a bare port and *', () => {
    assert.deepEqual(splitAddress('127.0.0.1:8080'), { host: '127.0.0.1', port: 8080 });
    assert.deepEqual(splitAddress('[::1]:443'), { host: '::1', port: 443 });
    assert.deepEqual(splitAddress('[::1]'), { host: '::1', port: null });
    assert.deepEqual(splitAddress('80'), { host: null, port: 80 });
    assert.deepEqual(splitAddress('*:80'), { host: '*', port: 80 });
    assert.deepEqual(splitAddress('*'), { host: '*', port: null });
    assert.deepEqual(splitAddress('example.org:*'), { host: 'example.org', port: null });
    assert.deepEqual(splitAddress('example.org'), { host: 'example.org', port: null });
  });
});

describe('SiteCollector', () => {
  it("collects the main server's listens, name, error log, TLS and mounts", () => {
    const sites = createSites();
    const collector = new SiteCollector(sites);
    collector.read('listen', ['8080'], 'a.conf', 1);
    collector.read('listen', ['127.0.0.1:8443', 'https'], 'a.conf', 2);
    collector.read('listen', ['127.0.0.1'], 'a.conf', 3);
    collector.read('servername', ['main.example'], 'a.conf', 4);
    collector.read('errorlog', ['|/usr/bin/rotatelogs', 'logs/err', '86400'], 'a.conf', 5);
    collector.read('sslengine', ['On'], 'a.conf', 6);
    collector.read('wsgiscriptalias', ['/app', '/srv/app.wsgi', 'Process-Group=django'], 'a.conf', 7);
    collector.read('wsgiscriptaliasmatch', ['^/x(.*)', '/srv/x.wsgi'], 'a.conf', 8);
    collector.read('wsgiscriptalias', ['/only-url'], 'a.conf', 9);
    assert.deepEqual(sites.listens, [
      { host: null, port: 8080, protocol: null },
      { host: '127.0.0.1', port: 8443, protocol: 'https' },
    ]);
    assert.equal(sites.serverName, 'main.example');
    assert.equal(sites.errorLog, '|/usr/bin/rotatelogs logs/err 86400');
    assert.equal(sites.tls, true);
    assert.deepEqual(sites.mounts, [
      {
        url: '/app',
        match: false,
        script: '/srv/app.wsgi',
        processGroup: 'django',
        vhost: null,
        file: 'a.conf',
        line: 7,
      },
      {
        url: '^/x(.*)',
        match: true,
        script: '/srv/x.wsgi',
        processGroup: null,
        vhost: null,
        file: 'a.conf',
        line: 8,
      },
    ]);
  });

  it("gives a virtual host's settings to it, and the main server's back after it", () => {
    const sites = createSites();
    const collector = new SiteCollector(sites);
    collector.enter('virtualhost', '*:80 [::1]:8080 _default_', 'v.conf', 10);
    collector.read('servername', ['v.example'], 'v.conf', 11);
    collector.read('errorlog', ['/var/log/v.log'], 'v.conf', 12);
    collector.read('sslengine', ['off'], 'v.conf', 13);
    collector.read('wsgidaemonprocess', ['v', 'processes=2'], 'v.conf', 14);
    collector.read('wsgiscriptalias', ['/', '/srv/v.wsgi'], 'v.conf', 15);
    collector.leave();
    collector.read('servername', ['main.example'], 'a.conf', 20);
    collector.read('wsgidaemonprocess', ['main'], 'a.conf', 21);
    assert.deepEqual(sites.vhosts, [
      {
        addresses: [
          { host: '*', port: 80 },
          { host: '::1', port: 8080 },
          { host: '_default_', port: null },
        ],
        serverName: 'v.example',
        errorLog: '/var/log/v.log',
        tls: false,
        file: 'v.conf',
        line: 10,
      },
    ]);
    assert.equal(sites.serverName, 'main.example');
    assert.equal(sites.errorLog, null);
    assert.equal(sites.mounts[0]?.vhost, 0);
    assert.deepEqual(sites.daemonHomes, [
      { group: 'v', vhost: 0 },
      { group: 'main', vhost: null },
    ]);
  });

  it('does not open a virtual host for a <VirtualHost> that is not read', () => {
    const sites = createSites();
    const collector = new SiteCollector(sites);
    collector.enter('virtualhost', '*:80', 'v.conf', 1, false);
    collector.leave();
    assert.deepEqual(sites.vhosts, []);
  });

  it('scopes WSGIProcessGroup by its innermost Location or Directory section, quotes removed', () => {
    const sites = createSites();
    const collector = new SiteCollector(sites);
    collector.read('wsgiprocessgroup', ['%{GLOBAL}'], 'a.conf', 1);
    collector.enter('virtualhost', '*:80', 'a.conf', 2);
    collector.enter('directory', '"/srv/app"', 'a.conf', 3);
    collector.enter('ifmodule', 'mod_wsgi.c', 'a.conf', 4);
    collector.read('wsgiprocessgroup', ['app'], 'a.conf', 5);
    collector.leave();
    collector.enter('locationmatch', '^/api', 'a.conf', 7);
    collector.read('wsgiprocessgroup', ['api'], 'a.conf', 8);
    collector.leave();
    collector.leave();
    collector.read('wsgiprocessgroup', ['vhost'], 'a.conf', 11);
    assert.deepEqual(sites.processGroups, [
      { group: '%{GLOBAL}', vhost: null, scope: null, file: 'a.conf', line: 1 },
      { group: 'app', vhost: 0, scope: { kind: 'directory', path: '/srv/app' }, file: 'a.conf', line: 5 },
      { group: 'api', vhost: 0, scope: { kind: 'locationmatch', path: '^/api' }, file: 'a.conf', line: 8 },
      { group: 'vhost', vhost: 0, scope: null, file: 'a.conf', line: 11 },
    ]);
  });
});

describe('SiteCollector: LogLevel', () => {
  it("keeps the main server's LogLevel and a virtual host's own, as written", () => {
    const sites = createSites();
    const collector = new SiteCollector(sites);
    assert.equal(sites.logLevel, undefined);
    collector.read('loglevel', ['warn', 'wsgi:info'], 'a.conf', 1);
    collector.enter('virtualhost', '*:80', 'a.conf', 2);
    collector.read('loglevel', ['debug'], 'a.conf', 3);
    collector.leave();
    assert.equal(sites.logLevel, 'warn wsgi:info');
    assert.equal(sites.vhosts[0]?.logLevel, 'debug');
  });
});

describe('SiteCollector: WSGIImportScript', () => {
  it('keeps a script preloaded into a group, with its vhost; one without both options is not read', () => {
    const sites = createSites();
    const collector = new SiteCollector(sites);
    collector.read(
      'wsgiimportscript',
      ['/srv/app/app.wsgi', 'process-group=django', 'application-group=%{GLOBAL}'],
      'a.conf',
      1,
    );
    collector.read('wsgiimportscript', ['/srv/app/half.wsgi', 'process-group=django'], 'a.conf', 2);
    collector.enter('virtualhost', '*:80', 'a.conf', 3);
    collector.read(
      'wsgiimportscript',
      ['/srv/api/api.wsgi', 'application-group=api', 'process-group=api'],
      'a.conf',
      4,
    );
    collector.leave();
    assert.deepEqual(sites.imports, [
      {
        script: '/srv/app/app.wsgi',
        processGroup: 'django',
        applicationGroup: '%{GLOBAL}',
        vhost: null,
        file: 'a.conf',
        line: 1,
      },
      {
        script: '/srv/api/api.wsgi',
        processGroup: 'api',
        applicationGroup: 'api',
        vhost: 0,
        file: 'a.conf',
        line: 4,
      },
    ]);
  });
});
