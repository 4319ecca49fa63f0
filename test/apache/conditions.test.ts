import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApacheBuild } from '../../src/apache/conditions.js';
import { matchVersion, sourceOfSymbol, symbolOfSource } from '../../src/apache/conditions.js';
import type { ApacheCommandLine } from '../../src/apache/config.js';
import { memoryFiles } from '../../src/apache/files.js';
import { loadApacheConfig } from '../../src/apache/reader.js';

/** Debian's apache2, as `apache2 -l` and `-v` answer. */
const DEBIAN: ApacheBuild = {
  modules: new Set([
    'core.c',
    'mod_so.c',
    'mod_watchdog.c',
    'http_core.c',
    'mod_log_config.c',
    'mod_logio.c',
    'mod_version.c',
    'mod_unixd.c',
  ]),
  version: '2.4.62',
};

function line(extra: Partial<ApacheCommandLine> = {}): ApacheCommandLine {
  return {
    configFile: '/srv/httpd.conf',
    serverRoot: '/srv',
    defines: new Map(),
    preDirectives: [],
    postDirectives: [],
    ...extra,
  };
}

/** Reads `/srv/httpd.conf` (plus other files) and returns the ids and names of the groups Apache defines. */
function read(
  main: string,
  options: { files?: Record<string, string>; build?: ApacheBuild; line?: Partial<ApacheCommandLine> } = {},
) {
  const files = memoryFiles({ '/srv/httpd.conf': main, ...options.files });
  const config = loadApacheConfig(line(options.line), {}, options.build ?? DEBIAN, files);
  return { config, groups: config.groups.map((group) => `${group.id}:${group.name}`) };
}

describe('conditional sections, as httpd evaluates them at startup', {
  skip: process.platform === 'win32' && 'POSIX paths',
}, () => {
  it('numbers only the groups Apache defines: skipped ones before, between and after real ones', () => {
    const { groups, config } = read(
      [
        '<IfDefine NOPE>',
        '  WSGIDaemonProcess ghost',
        '</IfDefine>',
        'WSGIDaemonProcess django',
        '<IfModule mod_not_loaded.c>',
        '  WSGIDaemonProcess phantom',
        '</IfModule>',
        'WSGIDaemonProcess flask',
        '<IfDefine !FOREGROUND>',
        '  WSGIDaemonProcess spectre',
        '</IfDefine>',
      ].join('\n'),
      { line: { defines: new Map([['FOREGROUND', '']]) } },
    );
    assert.deepEqual(groups, ['1:django', '2:flask']);
    assert.deepEqual(
      config.skippedGroups.map((g) => [g.name, g.line, g.condition]),
      [
        ['ghost', 2, '<IfDefine NOPE>'],
        ['phantom', 6, '<IfModule mod_not_loaded.c>'],
        ['spectre', 10, '<IfDefine !FOREGROUND>'],
      ],
    );
  });

  it('IfDefine: -D, an earlier Define (across includes, also from -C), not after UnDefine, not a later Define', () => {
    const { groups } = read(
      [
        '<IfDefine LATER>',
        '  WSGIDaemonProcess early',
        '</IfDefine>',
        'Include /srv/defs.conf',
        '<IfDefine FROM_FILE>',
        '  WSGIDaemonProcess a',
        '</IfDefine>',
        '<IfDefine GONE>',
        '  WSGIDaemonProcess b',
        '</IfDefine>',
        '<IfDefine FROM_C>',
        '  WSGIDaemonProcess c',
        '</IfDefine>',
        '<IfDefine ARGV>',
        '  WSGIDaemonProcess d',
        '</IfDefine>',
        'Define LATER',
      ].join('\n'),
      {
        files: { '/srv/defs.conf': 'Define FROM_FILE\nDefine GONE\nUnDefine GONE\n' },
        line: { defines: new Map([['ARGV', '']]), preDirectives: ['Define FROM_C'] },
      },
    );
    assert.deepEqual(groups, ['1:a', '2:c', '3:d']);
  });

  it('IfModule: compiled in (either name form), loaded by an earlier LoadModule, negation', () => {
    const { groups } = read(
      [
        '<IfModule wsgi_module>',
        '  WSGIDaemonProcess before_load',
        '</IfModule>',
        'LoadModule wsgi_module /usr/lib/apache2/modules/mod_wsgi.so',
        '<IfModule mod_wsgi.c>',
        '  WSGIDaemonProcess by_source',
        '</IfModule>',
        '<IfModule wsgi_module>',
        '  WSGIDaemonProcess by_symbol',
        '</IfModule>',
        '<IfModule version_module>',
        '  WSGIDaemonProcess compiled_in',
        '</IfModule>',
        '<IfModule !mod_version.c>',
        '  WSGIDaemonProcess negated',
        '</IfModule>',
        '<IfModule !mod_ssl.c>',
        '  WSGIDaemonProcess no_ssl',
        '</IfModule>',
      ].join('\n'),
    );
    assert.deepEqual(groups, ['1:by_source', '2:by_symbol', '3:compiled_in', '4:no_ssl']);
  });

  it('IfModule without the binary’s own list: core modules yes, a sometimes-static one undecided, others no', () => {
    const { groups, config } = read(
      [
        '<IfModule mod_so.c>',
        '  WSGIDaemonProcess so',
        '</IfModule>',
        '<IfModule mod_version.c>',
        '  WSGIDaemonProcess maybe',
        '</IfModule>',
        '<IfModule mod_rare.c>',
        '  WSGIDaemonProcess rare',
        '</IfModule>',
      ].join('\n'),
      { build: { modules: null, version: null } },
    );
    assert.deepEqual(groups, ['1:so']);
    assert.deepEqual(
      config.doubts.map((d) => [d.line, d.condition]),
      [[4, '<IfModule mod_version.c>']],
    );
    assert.match(config.doubts[0]?.reason ?? '', /could not be asked \(-l\)/);
    assert.deepEqual(
      config.skippedGroups.map((g) => g.name),
      ['rare'],
    );
  });

  it('IfVersion with every operator; undecided without a version', () => {
    for (const [args, expected] of [
      [['2.4.62'], true],
      [['=', '2.4.62'], true],
      [['==', '2.4.61'], false],
      [['>', '2.4'], true],
      [['>=', '2.4.62'], true],
      [['<', '2.4.62'], false],
      [['<=', '2.5'], true],
      [['!=', '2.4.62'], false],
      [['~', '^2\\.4'], true],
      [['/^2\\.2/'], false],
      [['!~', '^2\\.2'], true],
    ] as const) {
      assert.equal(matchVersion([...args], '2.4.62'), expected, args.join(' '));
    }
    const { groups, config } = read('<IfVersion >= 2.4>\n  WSGIDaemonProcess new\n</IfVersion>\n', {
      build: { modules: DEBIAN.modules, version: null },
    });
    assert.deepEqual(groups, []);
    assert.equal(config.doubts.length, 1);
  });

  it('IfFile (relative to ServerRoot), IfDirective and IfSection', () => {
    const { groups, config } = read(
      [
        '<IfFile conf/present.txt>',
        '  WSGIDaemonProcess file_there',
        '</IfFile>',
        '<IfFile !/nowhere>',
        '  WSGIDaemonProcess file_missing',
        '</IfFile>',
        '<IfDirective Listen>',
        '  WSGIDaemonProcess core_directive',
        '</IfDirective>',
        '<IfDirective WSGIDaemonProcess>',
        '  WSGIDaemonProcess wsgi_not_loaded',
        '</IfDirective>',
        '<IfSection VirtualHost>',
        '  WSGIDaemonProcess section',
        '</IfSection>',
        '<IfDirective MDomain>',
        '  WSGIDaemonProcess unknown',
        '</IfDirective>',
      ].join('\n'),
      { files: { '/srv/conf/present.txt': '' } },
    );
    assert.deepEqual(groups, ['1:file_there', '2:file_missing', '3:core_directive', '4:section']);
    assert.deepEqual(
      config.doubts.map((d) => d.condition),
      ['<IfDirective MDomain>'],
    );
  });

  it('nests to any depth, and a same-named section inside its twin closes right', () => {
    const { groups } = read(
      [
        '<IfDefine A>',
        '  <IfDefine B>',
        '    <IfDefine !C>',
        '      WSGIDaemonProcess deep',
        '    </IfDefine>',
        '  </IfDefine>',
        '  <IfDefine C>',
        '    WSGIDaemonProcess no',
        '  </IfDefine>',
        '</IfDefine>',
        'WSGIDaemonProcess after',
      ].join('\n'),
      {
        line: {
          defines: new Map([
            ['A', ''],
            ['B', ''],
          ]),
        },
      },
    );
    assert.deepEqual(groups, ['1:deep', '2:after']);
  });

  it('does not follow an Include inside a false section (the file is not even read)', () => {
    const { groups, config } = read(
      '<IfDefine NOPE>\n  Include /srv/secret.conf\n</IfDefine>\nWSGIDaemonProcess real\n',
      {
        files: { '/srv/secret.conf': 'WSGIDaemonProcess hidden\n' },
      },
    );
    assert.deepEqual(groups, ['1:real']);
    assert.deepEqual(config.files, ['/srv/httpd.conf']);
  });

  it('counts VirtualHost groups; a group in <Directory> or <If> is refused by Apache, so not counted', () => {
    const { groups, config } = read(
      [
        '<VirtualHost *:80>',
        '  WSGIDaemonProcess vhost',
        '  <Directory /srv>',
        '    WSGIDaemonProcess bad',
        '  </Directory>',
        '</VirtualHost>',
        '<If "true">',
        '  WSGIDaemonProcess bad2',
        '</If>',
        '<Else>',
        '  WSGIDaemonProcess bad3',
        '</Else>',
      ].join('\n'),
    );
    assert.deepEqual(groups, ['1:vhost']);
    assert.equal(config.warnings.length, 3);
  });

  it('a <Macro> body is a template: not read, and a Use of one that defines groups is a doubt', () => {
    const { groups, config } = read(
      [
        '<Macro App $name>',
        '  WSGIDaemonProcess $name',
        '</Macro>',
        'Use App shop',
        'WSGIDaemonProcess real',
      ].join('\n'),
    );
    assert.deepEqual(groups, ['1:real']);
    assert.deepEqual(
      config.doubts.map((d) => [d.condition, d.line]),
      [['Use App', 4]],
    );
  });

  it('expands Apache variables from Define and the environment in names, Include paths and conditions', () => {
    const files = memoryFiles({
      '/srv/httpd.conf':
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Apache's own ${VAR} syntax
        'Define app shop\nInclude ${CONF}/g.conf\n<IfDefine ${app}>\n  WSGIDaemonProcess x\n</IfDefine>\n',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Apache's own ${VAR} syntax
      '/etc/site/g.conf': 'WSGIDaemonProcess ${app}-web user=${RUN_USER}\n',
    });
    const config = loadApacheConfig(line(), { CONF: '/etc/site', RUN_USER: 'www-data' }, DEBIAN, files);
    assert.deepEqual(
      config.groups.map((g) => [g.name, g.user]),
      [['shop-web', 'www-data']],
    );
    assert.deepEqual(
      config.skippedGroups.map((g) => g.condition),
      ['<IfDefine shop>'],
    );
  });

  it('reads -c directives after the file; User, Group and PidFile with their defaults', () => {
    const { config, groups } = read('User www-data\nGroup www-data\nWSGIDaemonProcess first\n', {
      line: { postDirectives: ['WSGIDaemonProcess last', 'User app'] },
    });
    assert.deepEqual(groups, ['1:first', '2:last']);
    assert.deepEqual([config.user, config.group, config.pidFile], ['app', 'www-data', '/srv/logs/httpd.pid']);
  });

  it('consults every file read, every folder listed, and the nearest existing ancestor of a missing path', () => {
    const { config } = read(
      'IncludeOptional /srv/conf.d/*.conf\nIncludeOptional /srv/missing/deeper/*.conf\n',
      {
        files: { '/srv/conf.d/a.conf': '', '/srv/conf.d/b.conf': '' },
      },
    );
    assert.deepEqual(config.consulted, [
      '/srv/httpd.conf',
      '/srv/conf.d',
      '/srv/conf.d/a.conf',
      '/srv/conf.d/b.conf',
      '/srv',
    ]);
  });

  it('maps module names both ways', () => {
    assert.equal(sourceOfSymbol('wsgi_module'), 'mod_wsgi.c');
    assert.equal(sourceOfSymbol('mpm_event_module'), 'event.c');
    assert.equal(symbolOfSource('http_core.c'), 'http_module');
    assert.equal(symbolOfSource('mod_version.c'), 'version_module');
  });
});
