import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApacheCommandLine } from '../../../src/apache/config/model.js';
import {
  applySetting,
  createConfig,
  PER_DIRECTORY,
  type Place,
  parseDaemonProcess,
  RELEVANT,
} from '../../../src/apache/config/sections.js';
import { createSites } from '../../../src/apache/config/sites.js';

const commandLine: ApacheCommandLine = {
  configFile: '/etc/apache2/apache2.conf',
  serverRoot: '/etc/apache2',
  defines: new Map(),
  preDirectives: [],
  postDirectives: [],
};

const serverPlace: Place = { file: '/etc/apache2/apache2.conf', line: 7, perDirectory: false };
const absolute = (path: string) => (path.startsWith('/') ? path : `/etc/apache2/${path}`);

describe('parseDaemonProcess', () => {
  it("reads the name and the options wsgictl uses, with mod_wsgi's defaults", () => {
    assert.deepEqual(parseDaemonProcess(['django'], 1, 'a.conf', 3), {
      id: 1,
      name: 'django',
      processes: 1,
      threads: 15,
      user: null,
      group: null,
      displayName: null,
      pythonHome: null,
      pythonPath: [],
      home: null,
      file: 'a.conf',
      line: 3,
    });
    assert.deepEqual(
      parseDaemonProcess(
        ['flask', 'Processes=4', 'threads=2', 'user=www', 'group=web', 'display-name=(wsgi:f)', 'home=/srv'],
        2,
        'b.conf',
        9,
      ),
      {
        id: 2,
        name: 'flask',
        processes: 4,
        threads: 2,
        user: 'www',
        group: 'web',
        displayName: '(wsgi:f)',
        pythonHome: null,
        pythonPath: [],
        home: '/srv',
        file: 'b.conf',
        line: 9,
      },
    );
  });

  it('falls back to the defaults for counts that are not positive integers', () => {
    for (const bad of ['0', '-2', '1.5', 'x', '']) {
      const group = parseDaemonProcess(['g', `processes=${bad}`, `threads=${bad}`], 1, 'f', 1);
      assert.deepEqual([group?.processes, group?.threads], [1, 15], bad);
    }
  });

  it('ignores words without a key (=value, bare flags)', () => {
    const group = parseDaemonProcess(['g', '=4', 'processes', 'display-name='], 1, 'f', 1);
    assert.equal(group?.processes, 1);
    assert.equal(group?.displayName, '');
  });

  it('is null without a name', () => {
    assert.equal(parseDaemonProcess([], 1, 'f', 1), null);
  });
});

describe('createConfig', () => {
  it('starts from the command line with nothing read', () => {
    const sites = createSites();
    const config = createConfig(commandLine, sites);
    assert.equal(config.configFile, '/etc/apache2/apache2.conf');
    assert.equal(config.serverRoot, '/etc/apache2');
    assert.equal(config.sites, sites);
    assert.deepEqual(
      [config.groups, config.doubts, config.warnings, config.socketPrefix, config.pidFile],
      [[], [], [], null, null],
    );
  });
});

describe('applySetting', () => {
  it("applies the server's settings, resolving the socket prefix and pid file", () => {
    const config = createConfig(commandLine, createSites());
    applySetting(config, 'serverroot', ['/srv/httpd'], serverPlace, absolute);
    applySetting(config, 'wsgisocketprefix', ['run/wsgi'], serverPlace, absolute);
    applySetting(config, 'pidfile', ['/run/httpd.pid'], serverPlace, absolute);
    applySetting(config, 'user', ['www-data'], serverPlace, absolute);
    applySetting(config, 'group', ['www-data'], serverPlace, absolute);
    assert.deepEqual(
      [config.serverRoot, config.socketPrefix, config.pidFile, config.user, config.group],
      ['/srv/httpd', '/etc/apache2/run/wsgi', '/run/httpd.pid', 'www-data', 'www-data'],
    );
  });

  it('numbers daemon groups in the order read, from 1', () => {
    const config = createConfig(commandLine, createSites());
    applySetting(config, 'wsgidaemonprocess', ['a'], serverPlace, absolute);
    applySetting(config, 'wsgidaemonprocess', [], serverPlace, absolute);
    applySetting(config, 'wsgidaemonprocess', ['b', 'processes=3'], { ...serverPlace, line: 8 }, absolute);
    assert.deepEqual(
      config.groups.map((group) => [group.id, group.name, group.processes, group.line]),
      [
        [1, 'a', 1, 7],
        [2, 'b', 3, 8],
      ],
    );
  });

  it('refuses a daemon group (with a warning) and every setting in a per-directory section', () => {
    const config = createConfig(commandLine, createSites());
    const place: Place = { file: 'x.conf', line: 4, perDirectory: true };
    applySetting(config, 'wsgidaemonprocess', ['a'], place, absolute);
    applySetting(config, 'user', ['root'], place, absolute);
    assert.deepEqual(config.groups, []);
    assert.equal(config.user, null);
    assert.deepEqual(config.warnings, [
      'x.conf:4: WSGIDaemonProcess is not allowed in a per-directory section; Apache would not start with it',
    ]);
  });

  it('ignores a setting without its argument', () => {
    const config = createConfig(commandLine, createSites());
    applySetting(config, 'serverroot', [], serverPlace, absolute);
    applySetting(config, 'pidfile', [], serverPlace, absolute);
    assert.deepEqual([config.serverRoot, config.pidFile], ['/etc/apache2', null]);
  });
});

describe('RELEVANT and PER_DIRECTORY', () => {
  it('name the directives that change groups and the sections that apply per request, in lower case', () => {
    for (const name of ['wsgidaemonprocess', 'include', 'includeoptional', 'define', 'loadmodule'])
      assert.ok(RELEVANT.has(name), name);
    assert.ok(!RELEVANT.has('wsgiscriptalias'));
    for (const name of ['directory', 'location', 'files', 'if', 'else', 'limitexcept'])
      assert.ok(PER_DIRECTORY.has(name), name);
    for (const name of ['virtualhost', 'ifmodule', 'ifdefine', 'macro'])
      assert.ok(!PER_DIRECTORY.has(name), name);
  });
});
