import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSites } from '../../src/apache/config/sites.js';
import { describeHiddenRestarts, groupLogLevel, wsgiLevelOf } from '../../src/top/log-level.js';

describe('wsgiLevelOf', () => {
  it("reads httpd's default, a bare level, and a wsgi: level that wins over it", () => {
    assert.equal(wsgiLevelOf(undefined), 'warn');
    assert.equal(wsgiLevelOf('info'), 'info');
    assert.equal(wsgiLevelOf('warn wsgi:info'), 'info');
    assert.equal(wsgiLevelOf('wsgi:info error'), 'info');
    assert.equal(wsgiLevelOf('info ssl:warn'), 'info');
    assert.equal(wsgiLevelOf('Debug'), 'debug');
  });
});

describe('groupLogLevel', () => {
  it("uses the group's virtual host's own LogLevel, else the main server's", () => {
    const sites = createSites();
    sites.logLevel = 'warn';
    sites.vhosts.push({
      addresses: [],
      serverName: null,
      errorLog: null,
      logLevel: 'info',
      tls: false,
      file: 'a',
      line: 1,
    });
    sites.daemonHomes.push({ group: 'inhost', vhost: 0 }, { group: 'main', vhost: null });
    assert.equal(groupLogLevel(sites, 'inhost'), 'info');
    assert.equal(groupLogLevel(sites, 'main'), 'warn');
    assert.equal(groupLogLevel(undefined, 'main'), 'warn');
  });
});

describe('describeHiddenRestarts', () => {
  it('says what to set when the level hides info, nothing when it shows it', () => {
    assert.equal(describeHiddenRestarts('info'), null);
    assert.equal(describeHiddenRestarts('debug'), null);
    assert.equal(describeHiddenRestarts('trace3'), null);
    assert.match(
      describeHiddenRestarts('warn') ?? '',
      /LogLevel warn hides .*set LogLevel info, or LogLevel warn wsgi:info/,
    );
  });
});
