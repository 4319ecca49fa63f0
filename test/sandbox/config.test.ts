import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { describe, it } from 'node:test';
import { splitDirectives } from '../../src/apache/config/tokenize.js';
import { APP, groupFileTexts, moduleLines, renderConfig } from '../../src/sandbox/config.js';
import type { ApacheInstallation } from '../../src/sandbox/install.js';
import type { SandboxGroupSpec } from '../../src/sandbox/types.js';

const install: ApacheInstallation = {
  binary: '/usr/sbin/apache2',
  modulesDir: '/usr/lib/apache2/modules',
  modules: ['mpm_event', 'authz_core'],
  wsgiModule: '/usr/lib/apache2/modules/mod_wsgi.so',
  loadFiles: [],
  pythonHome: null,
  source: 'system',
};

const groups: SandboxGroupSpec[] = [
  { name: 'django', processes: 2, threads: 3, displayName: '%{GROUP}', runs: true },
  { name: 'flask', processes: 1, threads: 1, displayName: null, runs: false, section: 'IfDefine NOPE' },
];

describe('moduleLines', () => {
  it("loads Apache's modules by file, then mod_wsgi", () => {
    assert.deepEqual(moduleLines(install), [
      'LoadModule mpm_event_module "/usr/lib/apache2/modules/mod_mpm_event.so"',
      'LoadModule authz_core_module "/usr/lib/apache2/modules/mod_authz_core.so"',
      'LoadModule wsgi_module "/usr/lib/apache2/modules/mod_wsgi.so"',
    ]);
  });

  it("loads a pip mod_wsgi's libraries first and names its Python", () => {
    const pip = {
      ...install,
      modules: [],
      loadFiles: ['/opt/py/lib/libpython3.12.so'],
      pythonHome: '/opt/venv',
    };
    assert.deepEqual(moduleLines(pip), [
      'LoadFile "/opt/py/lib/libpython3.12.so"',
      'LoadModule wsgi_module "/usr/lib/apache2/modules/mod_wsgi.so"',
      'WSGIPythonHome "/opt/venv"',
    ]);
  });
});

describe('groupFileTexts', () => {
  it('numbers the files 10, 20, ... and wraps a group in its section', () => {
    assert.deepEqual(
      [...groupFileTexts(groups)],
      [
        ['10-django.conf', 'WSGIDaemonProcess django processes=2 threads=3 display-name=%{GROUP}\n'],
        ['20-flask.conf', '<IfDefine NOPE>\n  WSGIDaemonProcess flask processes=1 threads=1\n</IfDefine>\n'],
      ],
    );
  });
});

describe('renderConfig', () => {
  const directives = (text: string) =>
    splitDirectives(text).map((line) => `${line.directive} ${line.args}`.trim());

  it('listens on loopback at the port, keeps its files in the root, and mounts every group', () => {
    const text = renderConfig('/tmp/r', '/tmp/r', 8123, install, groups, { groups });
    const lines = directives(text);
    for (const line of [
      'ServerRoot /tmp/r',
      'PidFile /tmp/r/httpd.pid',
      'Listen 127.0.0.1:8123',
      'ErrorLog /tmp/r/error.log',
      'WSGISocketPrefix /tmp/r/run/wsgi',
      'WSGIDaemonProcess django processes=2 threads=3 display-name=%{GROUP}',
      'WSGIScriptAlias /django /tmp/r/app.wsgi process-group=django application-group=%{GLOBAL}',
      '<IfDefine NOPE>',
      'WSGIScriptAlias /flask /tmp/r/app.wsgi process-group=flask application-group=%{GLOBAL}',
    ])
      assert.ok(lines.includes(line), line);
    assert.ok(text.endsWith('\n'));
    assert.ok(!lines.some((line) => line.startsWith('IncludeOptional')));
  });

  it('drops privileges to www-data (or nobody) only when run as root', () => {
    const lines = directives(renderConfig('/tmp/r', '/tmp/r', 8123, install, groups, { groups }));
    const user = lines.find((line) => line.startsWith('User '));
    if (userInfo().uid === 0) {
      const expected = /^www-data:/m.test(readFileSync('/etc/passwd', 'utf8')) ? 'www-data' : 'nobody';
      assert.equal(user, `User ${expected}`);
      assert.ok(lines.some((line) => line.startsWith('Group ')));
    } else assert.equal(user, undefined);
  });

  it('with groupFiles includes conf.d instead of the WSGIDaemonProcess lines', () => {
    const lines = directives(
      renderConfig('/tmp/r', '/etc/x', 8123, install, groups, { groups, groupFiles: true }),
    );
    assert.ok(lines.includes('IncludeOptional /etc/x/conf.d/*.conf'));
    assert.ok(!lines.some((line) => line.startsWith('WSGIDaemonProcess')));
  });

  it("puts the sockets in the namespace's socket folder, and appends extra config last", () => {
    const text = renderConfig('/tmp/r', '/tmp/r', 8123, install, groups, {
      groups,
      namespaces: { socketDir: '/run/ns' },
      extraConfig: 'LogLevel debug',
    });
    const lines = directives(text);
    assert.ok(lines.includes('WSGISocketPrefix /run/ns/wsgi'));
    assert.equal(lines.at(-1), 'LogLevel debug');
  });
});

describe('APP', () => {
  it('is a WSGI application that answers with its group and pid', () => {
    assert.match(APP, /^import os, time\n/);
    assert.match(APP, /def application\(environ, start_response\):/);
    assert.match(APP, /mod_wsgi\.process_group/);
  });
});
