import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApacheBuild } from '../../../src/apache/binary/apache-build.js';
import type { ApacheCommandLine } from '../../../src/apache/config/model.js';
import { sourceOfSymbol, symbolOfSource } from '../../../src/apache/config/modules.js';
import { loadApacheConfig } from '../../../src/apache/config/reader.js';
import { matchVersion } from '../../../src/apache/config/version.js';
import { type FileView, memoryFiles } from '../../../src/files/view.js';
import { commandLine, DEBIAN_BUILD } from '../../helpers/apache-config.js';

/** Reads `/srv/httpd.conf` (plus other files) and returns the ids and names of the groups Apache defines. */
function read(
  main: string,
  options: {
    files?: Record<string, string>;
    build?: ApacheBuild;
    line?: Partial<ApacheCommandLine>;
    view?: (files: FileView) => FileView;
  } = {},
) {
  const memory = memoryFiles({ '/srv/httpd.conf': main, ...options.files });
  const files = options.view ? options.view(memory) : memory;
  const config = loadApacheConfig(commandLine(options.line), {}, options.build ?? DEBIAN_BUILD, files);
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
      build: { modules: DEBIAN_BUILD.modules, version: null },
    });
    assert.deepEqual(groups, []);
    assert.equal(config.doubts.length, 1);
  });

  it('IfFile (relative to ServerRoot), IfDirective and IfSection', () => {
    const { groups, config } = read(
      [
        // A module wsgictl has no table for: the directives it may provide cannot be placed.
        'LoadModule security2_module /usr/lib/apache2/modules/mod_security2.so',
        '<IfFile conf/present.txt>',
        '  WSGIDaemonProcess file_there',
        '</IfFile>',
        '<IfFile !/nowhere>',
        '  WSGIDaemonProcess file_missing',
        '</IfFile>',
        '<IfDirective ServerName>',
        '  WSGIDaemonProcess core_directive',
        '</IfDirective>',
        '<IfDirective WSGIDaemonProcess>',
        '  WSGIDaemonProcess wsgi_not_loaded',
        '</IfDirective>',
        '<IfSection VirtualHost>',
        '  WSGIDaemonProcess section',
        '</IfSection>',
        '<IfDirective SecRuleEngine>',
        '  WSGIDaemonProcess unknown',
        '</IfDirective>',
      ].join('\n'),
      { files: { '/srv/conf/present.txt': '' } },
    );
    assert.deepEqual(groups, ['1:file_there', '2:file_missing', '3:core_directive', '4:section']);
    assert.deepEqual(
      config.doubts.map((d) => d.condition),
      ['<IfDirective SecRuleEngine>'],
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
    const config = loadApacheConfig(
      commandLine(),
      { CONF: '/etc/site', RUN_USER: 'www-data' },
      DEBIAN_BUILD,
      files,
    );
    assert.deepEqual(
      config.groups.map((g) => [g.name, g.user]),
      [['shop-web', 'www-data']],
    );
    assert.deepEqual(
      config.skippedGroups.map((g) => g.condition),
      ['<IfDefine shop>'],
    );
  });

  it('reads -c directives after the file; User, Group and PidFile', () => {
    const { config, groups } = read('User www-data\nGroup www-data\nWSGIDaemonProcess first\n', {
      line: { postDirectives: ['WSGIDaemonProcess last', 'User app'] },
    });
    assert.deepEqual(groups, ['1:first', '2:last']);
    // No PidFile directive: null, the binary's compiled-in default applies.
    assert.deepEqual([config.user, config.group, config.pidFile], ['app', 'www-data', null]);
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

/** `<IfX ARGS>` around one group: `cond('IfDefine', 'A', 'a')`. */
function cond(section: string, args: string, group: string): string {
  return `<${section} ${args}>\n  WSGIDaemonProcess ${group}\n</${section}>`;
}

const NO_BINARY: ApacheBuild = { modules: null, version: null };

describe('each condition, as server/core.c and mod_version read it', {
  skip: process.platform === 'win32' && 'POSIX paths',
}, () => {
  it('IfDefine: only a `!` right at the start negates; names are case-sensitive; one word is read', () => {
    const { groups } = read(
      [
        cond('IfDefine', '! NOPE', 'spaced_not'),
        cond('IfDefine', '"!X"', 'quoted_not_is_a_name'),
        cond('IfDefine', 'x', 'lower_case'),
        cond('IfDefine', 'X extra words', 'first_word'),
      ].join('\n'),
      { line: { defines: new Map([['X', '']]) } },
    );
    assert.deepEqual(groups, ['1:spaced_not', '2:first_word']);
  });

  it('IfModule: mod_so’s naming, MPMs by their own file names, symbols only as `*_module`', () => {
    const { groups } = read(
      [
        'LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so',
        'LoadModule ldap_module /usr/lib/apache2/modules/mod_ldap.so',
        cond('IfModule', 'event.c', 'event_source'),
        cond('IfModule', 'mod_mpm_event.c', 'not_a_module_name'),
        cond('IfModule', 'util_ldap.c', 'ldap_source'),
        cond('IfModule', 'core_module', 'core_symbol'),
        cond('IfModule', 'version', 'bare_name'),
        cond('IfModule', 'Mod_Version.c', 'case_matters'),
      ].join('\n'),
    );
    assert.deepEqual(groups, ['1:event_source', '2:ldap_source', '3:core_symbol']);
  });

  it('IfModule: a compiled-in MPM answers to its symbol', () => {
    const build: ApacheBuild = {
      modules: new Set(['core.c', 'mod_so.c', 'http_core.c', 'prefork.c']),
      version: null,
    };
    const { groups } = read(
      [cond('IfModule', 'mpm_prefork_module', 'prefork'), cond('IfModule', 'mpm_event_module', 'event')].join(
        '\n',
      ),
      { build },
    );
    assert.deepEqual(groups, ['1:prefork']);
  });

  it('IfVersion: mod_version’s grammar, partial versions, the build’s suffix; what Apache refuses is undecided', () => {
    for (const [args, version, expected] of [
      [['=', '2.4'], '2.4.62', false],
      [['2.4.0'], '2.4', true],
      [['>', '2'], '2.4.62', true],
      [['<=', '2.4.'], '2.4.0', true],
      [['!==', '2.4.62'], '2.4.62', false],
      [['~', '^2\\.4\\.[[:digit:]]+-dev$'], '2.4.63-dev', true],
      [['=', '/-dev$/'], '2.4.62', false],
    ] as const) {
      assert.equal(matchVersion([...args], version), expected, `${args.join(' ')} on ${version}`);
    }
    for (const args of [
      ['!', '2.4'],
      ['=~', '2.4'],
      ['~=', '2.4'],
      ['>', '/2/'],
      ['=', '/2'],
      ['2.4.6.1'],
      ['v2'],
    ]) {
      assert.equal(typeof matchVersion(args, '2.4.62'), 'object', args.join(' '));
    }
    const { groups } = read(
      [cond('IfVersion', '>= 2.4', 'new'), cond('IfVersion', '"2.4.62"', 'quoted')].join('\n'),
    );
    assert.deepEqual(groups, ['1:new', '2:quoted']);
  });

  it('IfFile: a path wsgictl may not check is undecided, and the path is consulted', () => {
    const denied = (view: FileView): FileView => ({
      ...view,
      stat: (path) => {
        if (path.startsWith('/root/')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        return view.stat(path);
      },
    });
    const { groups, config } = read(
      [
        cond('IfFile', '/root/flag', 'hidden'),
        cond('IfFile', 'conf/on', 'on'),
        cond('IfFile', '/srv/off/x', 'off'),
      ].join('\n'),
      { files: { '/srv/conf/on': '' }, view: denied },
    );
    assert.deepEqual(groups, ['1:on']);
    assert.deepEqual(
      config.doubts.map((d) => [d.condition, d.reason]),
      [['<IfFile /root/flag>', '/root/flag cannot be checked (EACCES)']],
    );
    assert.deepEqual(config.consulted, ['/srv/httpd.conf', '/srv/conf/on', '/srv']);
  });

  it('IfDirective/IfSection: from the modules present so far, case-blind; unknown only when a module is unknown', () => {
    const { groups, config } = read(
      [
        cond('IfDirective', 'user', 'unixd_compiled_in'),
        cond('IfDirective', 'StartServers', 'no_mpm_yet'),
        cond('IfSection', 'Proxy', 'no_proxy_yet'),
        cond('IfDirective', 'MDomain', 'md_absent'),
        cond('IfSection', '<VirtualHost', 'written_with_bracket'),
        'LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so',
        'LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so',
        'LoadModule wsgi_module /usr/lib/apache2/modules/mod_wsgi.so',
        cond('IfDirective', 'STARTSERVERS', 'mpm_loaded'),
        cond('IfSection', 'proxymatch', 'proxy_loaded'),
        cond('IfDirective', 'WSGISocketRotation', 'wsgi_loaded'),
        'LoadModule auth_openidc_module /usr/lib/apache2/modules/mod_auth_openidc.so',
        cond('IfDirective', 'OIDCProviderMetadataURL', 'unknown_module'),
      ].join('\n'),
    );
    assert.deepEqual(groups, ['1:unixd_compiled_in', '2:mpm_loaded', '3:proxy_loaded', '4:wsgi_loaded']);
    assert.deepEqual(
      config.doubts.map((d) => d.condition),
      ['<IfDirective OIDCProviderMetadataURL>'],
    );
  });

  it('IfDirective without the binary’s list: core known, a sometimes-static module’s directive undecided', () => {
    const { groups, config } = read(
      [
        cond('IfDirective', 'DocumentRoot', 'core'),
        cond('IfDirective', 'User', 'unixd'),
        cond('IfSection', 'IfVersion', 'ver'),
      ].join('\n'),
      { build: NO_BINARY },
    );
    assert.deepEqual(groups, ['1:core']);
    assert.deepEqual(
      config.doubts.map((d) => d.condition),
      ['<IfDirective User>', '<IfSection IfVersion>'],
    );
  });
});

describe('undecided sections and macros', { skip: process.platform === 'win32' && 'POSIX paths' }, () => {
  it('doubts an undecided section only when its body holds something that matters, and does not follow it', () => {
    const { groups, config } = read(
      [
        '<IfModule mod_version.c>',
        '  ServerSignature Off',
        '</IfModule>',
        '<IfModule mod_unixd.c>',
        '  <IfDefine NOPE>',
        '    Include /srv/extra.conf',
        '  </IfDefine>',
        '  Define LATER',
        '</IfModule>',
        'WSGIDaemonProcess real',
      ].join('\n'),
      { build: NO_BINARY, files: { '/srv/extra.conf': 'WSGIDaemonProcess extra\n' } },
    );
    assert.deepEqual(groups, ['1:real']);
    assert.deepEqual(
      config.doubts.map((d) => [d.line, d.condition]),
      [[4, '<IfModule mod_unixd.c>']],
    );
    assert.deepEqual(config.files, ['/srv/httpd.conf']);
    assert.deepEqual(config.skippedGroups, []);
  });

  it('a macro that uses a macro with groups is one too; nested <Macro> and UndefMacro are followed', () => {
    const { groups, config } = read(
      [
        '<Macro Inner $n>',
        '  WSGIDaemonProcess $n',
        '</Macro>',
        '<Macro Outer $n>',
        '  <Macro Nested>',
        '    ServerSignature Off',
        '  </Macro>',
        '  Use Inner $n',
        '</Macro>',
        '<Macro Harmless>',
        '  ServerSignature Off',
        '</Macro>',
        'Use Harmless',
        'Use OUTER shop',
        'UndefMacro Inner',
        'Use Inner gone',
        '<IfModule mod_version.c>',
        '  Use Outer maybe',
        '</IfModule>',
        'WSGIDaemonProcess real',
      ].join('\n'),
      { build: NO_BINARY },
    );
    assert.deepEqual(groups, ['1:real']);
    assert.deepEqual(
      config.doubts.map((d) => [d.line, d.condition]),
      [
        [14, 'Use OUTER'],
        [17, '<IfModule mod_version.c>'],
      ],
    );
  });
});
