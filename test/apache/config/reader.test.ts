// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Apache's own ${VAR} syntax, not JavaScript's
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  type ApacheCommandLine,
  apacheLayout,
  parseApacheCommandLine,
} from '../../../src/apache/config/model.js';
import { loadApacheConfig } from '../../../src/apache/config/reader.js';
import { splitDirectives, splitWords } from '../../../src/apache/config/tokenize.js';
import type { FileView } from '../../../src/files/view.js';
import { memoryFiles } from '../../../src/files/view.js';
import { commandLine, DEBIAN_BUILD } from '../../helpers/apache-config.js';

describe('splitWords', () => {
  it('groups quoted text, also after key=', () => {
    assert.deepEqual(splitWords(`app processes=2 display-name='(wsgi:my app)' user="www data"`), [
      'app',
      'processes=2',
      'display-name=(wsgi:my app)',
      'user=www data',
    ]);
  });
});

describe('splitDirectives', () => {
  it('joins continuation lines and drops comments', () => {
    // httpd drops the backslash and appends the next line as it is: no space is added.
    assert.deepEqual(splitDirectives('# c\nWSGIDaemonProcess a \\\n  processes=3\n\n  ServerRoot /x\n'), [
      { directive: 'WSGIDaemonProcess', args: 'a   processes=3', line: 2 },
      { directive: 'ServerRoot', args: '/x', line: 5 },
    ]);
  });
});

const LINUX = apacheLayout('linux');

describe('parseApacheCommandLine', () => {
  it('reads -d and -f, joined or apart', () => {
    assert.deepEqual(
      parseApacheCommandLine(
        ['/usr/sbin/httpd', '-d/srv/httpd', '-f', 'conf/x.conf', '-DFOREGROUND'],
        'httpd',
        LINUX,
      ),
      {
        serverRoot: '/srv/httpd',
        configFile: '/srv/httpd/conf/x.conf',
        configFileAsGiven: 'conf/x.conf',
        defines: new Map([['FOREGROUND', '']]),
        preDirectives: [],
        postDirectives: [],
      },
    );
  });

  it('reads -C and -c directives joined or apart, and never takes an option’s argument for a flag', () => {
    const line = parseApacheCommandLine(
      ['httpd', '-k', '-DX', '-C', 'Define A 1', '-cInclude /x.conf', '-D', 'Y', '-n', '-f', '-X'],
      'httpd',
      LINUX,
    );
    assert.deepEqual(line.preDirectives, ['Define A 1']);
    assert.deepEqual(line.postDirectives, ['Include /x.conf']);
    // `-k -DX`: -DX is -k's argument; `-n -f`: likewise; -X makes httpd define DEBUG.
    assert.deepEqual([...line.defines.keys()], ['Y', 'DEBUG']);
    assert.equal(line.configFile, '/etc/httpd/conf/httpd.conf');
  });

  it('reads options the way apr_getopt does: grouped flags, joined arguments, nothing after a non-option', () => {
    const line = parseApacheCommandLine(
      ['httpd', '-XDONE', '-kstart', '-E', '/tmp/-DNOT1', '-e', 'debug', '-tT', '-SD', 'TWO', '--', '-DNOT2'],
      'httpd',
      LINUX,
    );
    // -X defines DEBUG, -S DUMP_VHOSTS and DUMP_RUN_CFG; -E's argument is a file name, never a -D.
    assert.deepEqual([...line.defines.keys()], ['DEBUG', 'ONE', 'DUMP_VHOSTS', 'DUMP_RUN_CFG', 'TWO']);
    const windows = parseApacheCommandLine(
      ['httpd.exe', '-w', '-n', 'Apache2.4', '-k', 'runservice', '-DSSL'],
      'httpd.exe',
      apacheLayout('win32'),
    );
    assert.deepEqual([...windows.defines.keys()], ['SSL']);
  });

  it('falls back to the distro default for the program', () => {
    assert.equal(
      parseApacheCommandLine(['apache2', '-k', 'start'], 'apache2', LINUX).configFile,
      '/etc/apache2/apache2.conf',
    );
    assert.equal(
      parseApacheCommandLine(['/usr/sbin/httpd'], 'httpd', LINUX).configFile,
      '/etc/httpd/conf/httpd.conf',
    );
  });
});

// Include globs are expanded as POSIX paths; Windows configurations are not read from disk by these tests.
describe('loadApacheConfig', { skip: process.platform === 'win32' && 'POSIX paths' }, () => {
  const root = mkdtempSync(join(tmpdir(), 'wsgictl-conf-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'sites-enabled'));
  mkdirSync(join(root, 'conf.d'));
  writeFileSync(
    join(root, 'main.conf'),
    [
      `ServerRoot ${root}`,
      'Define SUFFIX admin',
      'WSGISocketPrefix run/wsgi',
      'WSGIDaemonProcess first processes=2 threads=4 display-name=%{GROUP} user=www-data',
      'IncludeOptional sites-enabled/*.conf',
      'Include conf.d',
      'IncludeOptional missing/*.conf',
      'LoadModule wsgi_module /usr/lib/apache2/modules/mod_wsgi.so',
      '<IfModule mod_wsgi.c>',
      '  WSGIDaemonProcess last',
      '</IfModule>',
    ].join('\n'),
  );
  writeFileSync(join(root, 'sites-enabled', 'b.conf'), 'WSGIDaemonProcess b-site display-name=custom\n');
  writeFileSync(
    join(root, 'sites-enabled', 'a.conf'),
    '<VirtualHost *:80>\n  WSGIDaemonProcess django${SUFFIX} \\\n    processes=3\n</VirtualHost>\n',
  );
  writeFileSync(join(root, 'sites-enabled', '.hidden.conf'), 'WSGIDaemonProcess hidden\n');
  writeFileSync(join(root, 'conf.d', 'z.conf'), 'WSGIDaemonProcess "from dir" processes=x\n');
  const config = loadApacheConfig({
    configFile: join(root, 'main.conf'),
    serverRoot: '/elsewhere',
    defines: new Map(),
    preDirectives: [],
    postDirectives: [],
  });

  it('numbers groups in the order Apache reads them, through includes sorted by name', () => {
    assert.deepEqual(
      config.groups.map((group) => [group.id, group.name]),
      [
        [1, 'first'],
        [2, 'djangoadmin'],
        [3, 'b-site'],
        [4, 'from dir'],
        [5, 'last'],
      ],
    );
  });

  it('reads processes, threads, user and display-name with defaults', () => {
    const [first, django, bSite, fromDir] = config.groups;
    assert.deepEqual(
      [first?.processes, first?.threads, first?.user, first?.displayName],
      [2, 4, 'www-data', '%{GROUP}'],
    );
    assert.deepEqual([django?.processes, django?.threads, django?.displayName], [3, 15, null]);
    assert.equal(bSite?.displayName, 'custom');
    assert.equal(fromDir?.processes, 1);
  });

  it('makes WSGISocketPrefix absolute against ServerRoot', () => {
    assert.equal(config.socketPrefix, join(root, 'run/wsgi'));
  });

  it('warns about a missing Include but not a missing IncludeOptional', () => {
    const broken = join(root, 'broken.conf');
    writeFileSync(broken, `Include ${root}/nope.conf\nIncludeOptional ${root}/nope2.conf\n`);
    const result = loadApacheConfig({
      configFile: broken,
      serverRoot: root,
      defines: new Map(),
      preDirectives: [],
      postDirectives: [],
    });
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0] ?? '', /Include .*nope\.conf matches no file/);
  });

  it('stops an Include loop', () => {
    const loop = join(root, 'loop.conf');
    writeFileSync(loop, `Include ${loop}\n`);
    const result = loadApacheConfig({
      configFile: loop,
      serverRoot: root,
      defines: new Map(),
      preDirectives: [],
      postDirectives: [],
    });
    assert.equal(result.files.length, 1);
    assert.match(
      result.doubts[0]?.reason ?? '',
      /includes itself, which never ends; wsgictl stopped reading there/,
    );
  });
});

/** Reads `/srv/httpd.conf` and the other files given, in memory, as Debian's apache2 would. */
function readMemory(
  files: Record<string, string>,
  options: { line?: Partial<ApacheCommandLine>; env?: NodeJS.ProcessEnv; view?: FileView } = {},
) {
  const config = loadApacheConfig(
    commandLine(options.line),
    options.env ?? {},
    DEBIAN_BUILD,
    options.view ?? memoryFiles(files),
  );
  return { config, groups: config.groups.map((group) => `${group.id}:${group.name}`) };
}

/** A FileView that answers EACCES for the paths given, like a folder only root may read. */
function withDenied(view: FileView, denied: string[]): FileView {
  const guard =
    <T>(read: (path: string) => T) =>
    (path: string): T => {
      if (denied.includes(path)) throw Object.assign(new Error(`EACCES: ${path}`), { code: 'EACCES' });
      return read(path);
    };
  return { readText: guard(view.readText), readDir: guard(view.readDir), stat: view.stat };
}

describe('Define, UnDefine and ${} as httpd reads them', () => {
  it('a Define without a value defines the name but gives ${NAME} no value; the environment is asked next', () => {
    const { groups } = readMemory(
      {
        '/srv/httpd.conf': [
          'Define BARE',
          'Define Site shop',
          'WSGIDaemonProcess a-${BARE}',
          'WSGIDaemonProcess b-${SITE}',
          'WSGIDaemonProcess c-${FROM_ENV}',
          'WSGIDaemonProcess d-${ARGV}',
        ].join('\n'),
      },
      { env: { BARE: 'env', FROM_ENV: 'web' }, line: { defines: new Map([['ARGV', '']]) } },
    );
    // Values live in a case-blind table (${SITE} finds Site); -D gives a name, never a value; unknown stays.
    assert.deepEqual(groups, ['1:a-env', '2:b-shop', '3:c-web', '4:d-${ARGV}']);
  });

  it('UnDefine forgets the name and its value; a later Define without a value keeps an earlier value', () => {
    const { groups } = readMemory({
      '/srv/httpd.conf': [
        'Define app one',
        'Define app',
        'WSGIDaemonProcess ${app}',
        'UnDefine app',
        'WSGIDaemonProcess ${app}-after',
        '<IfDefine app>',
        '  WSGIDaemonProcess never',
        '</IfDefine>',
      ].join('\n'),
    });
    assert.deepEqual(groups, ['1:one', '2:${app}-after']);
  });

  it('expands a whole line, the directive name too, before reading it', () => {
    const { groups } = readMemory({
      '/srv/httpd.conf': 'Define DAEMON "WSGIDaemonProcess"\n${DAEMON} from-a-variable\n',
    });
    assert.deepEqual(groups, ['1:from-a-variable']);
  });

  it('acts on Define and Include read inside <Directory> (they act as they are read), not on its groups', () => {
    const { groups, config } = readMemory({
      '/srv/httpd.conf': [
        '<Directory /srv/www>',
        '  Define INSIDE',
        '  Include /srv/dir.conf',
        '</Directory>',
        '<IfDefine INSIDE>',
        '  WSGIDaemonProcess after',
        '</IfDefine>',
      ].join('\n'),
      '/srv/dir.conf': 'WSGIDaemonProcess refused\n',
    });
    assert.deepEqual(groups, ['1:after']);
    assert.deepEqual(config.files, ['/srv/httpd.conf', '/srv/dir.conf']);
    assert.match(
      config.warnings[0] ?? '',
      /dir\.conf:1: WSGIDaemonProcess is not allowed in a per-directory section/,
    );
  });

  it('counts no group in <Location>, <Files>, <Proxy> or their Match forms', () => {
    const sections = ['Location /', 'LocationMatch ^/', 'Files x', 'FilesMatch x', 'Proxy *', 'ProxyMatch .'];
    const { groups, config } = readMemory({
      '/srv/httpd.conf': [
        ...sections.flatMap((section) => [
          `<${section}>`,
          '  WSGIDaemonProcess refused',
          `</${section.split(' ')[0]}>`,
        ]),
        'WSGIDaemonProcess real',
      ].join('\n'),
    });
    assert.deepEqual(groups, ['1:real']);
    assert.equal(config.warnings.length, sections.length);
  });
});

describe('the command line: -C before the file, -c after it', () => {
  it('a -C ServerRoot moves a relative configuration file, as httpd resolves it after -C', () => {
    const line = parseApacheCommandLine(
      ['httpd', '-f', 'conf/site.conf', '-C', 'ServerRoot /opt/web'],
      'httpd',
      LINUX,
    );
    const { groups, config } = readMemory(
      { '/opt/web/conf/site.conf': 'WSGIDaemonProcess moved\n' },
      { line },
    );
    assert.deepEqual(groups, ['1:moved']);
    assert.equal(config.configFile, '/opt/web/conf/site.conf');
  });

  it('-C defines what the file tests; -c comes after every group of the file', () => {
    const { groups } = readMemory(
      { '/srv/httpd.conf': '<IfDefine PRE>\n  WSGIDaemonProcess pre\n</IfDefine>\nWSGIDaemonProcess file\n' },
      { line: { preDirectives: ['Define PRE'], postDirectives: ['WSGIDaemonProcess post'] } },
    );
    assert.deepEqual(groups, ['1:pre', '2:file', '3:post']);
  });
});

describe('includes and what they consult', () => {
  it('lists the globbed folder, each file read, and for a missing path its nearest existing ancestor', () => {
    const { config, groups } = readMemory({
      '/srv/httpd.conf': [
        'IncludeOptional sites/*.conf',
        'IncludeOptional /srv/missing/deeper/*.conf',
        'IncludeOptional /srv/sites/absent.conf',
      ].join('\n'),
      '/srv/sites/b.conf': 'WSGIDaemonProcess b\n',
      '/srv/sites/a.conf': 'WSGIDaemonProcess a\n',
      '/srv/sites/a.txt': 'WSGIDaemonProcess not-included\n',
    });
    assert.deepEqual(groups, ['1:a', '2:b']);
    assert.deepEqual(config.consulted, [
      '/srv/httpd.conf',
      '/srv/sites',
      '/srv/sites/a.conf',
      '/srv/sites/b.conf',
      '/srv',
    ]);
  });

  it('${} in an Include path, resolved against ServerRoot', () => {
    const { groups } = readMemory(
      { '/srv/httpd.conf': 'Include ${CONFDIR}/app.conf\n', '/srv/conf/app.conf': 'WSGIDaemonProcess app\n' },
      { env: { CONFDIR: 'conf' } },
    );
    assert.deepEqual(groups, ['1:app']);
  });

  it('a folder or file wsgictl may not read is a doubt: the groups Apache read there are unknown', () => {
    const files = memoryFiles({
      '/srv/httpd.conf':
        'IncludeOptional /srv/private/*.conf\nInclude /srv/secret.conf\nWSGIDaemonProcess last\n',
      '/srv/private/a.conf': 'WSGIDaemonProcess a\n',
      '/srv/secret.conf': 'WSGIDaemonProcess s\n',
    });
    const { groups, config } = readMemory(
      {},
      { view: withDenied(files, ['/srv/private', '/srv/secret.conf']) },
    );
    assert.deepEqual(groups, ['1:last']);
    assert.deepEqual(
      config.doubts.map((doubt) => [doubt.line, doubt.condition]),
      [
        [1, 'IncludeOptional /srv/private/*.conf'],
        [2, 'Include /srv/secret.conf'],
      ],
    );
  });

  it('stops at httpd’s include depth (128) with a doubt, as httpd refuses to start', () => {
    const chain: Record<string, string> = { '/srv/httpd.conf': 'Include /srv/1.conf\n' };
    for (let i = 1; i <= 200; i++) chain[`/srv/${i}.conf`] = `Include /srv/${i + 1}.conf\n`;
    const { config } = readMemory(chain);
    assert.equal(config.files.length, 129);
    assert.match(
      config.doubts[0]?.reason ?? '',
      /nest deeper than 128 at \/srv\/129.conf, which Apache refuses/,
    );
  });
});

describe('the LoadModule wsgi_module file', () => {
  it('is the first one read, against ServerRoot: httpd skips a second LoadModule of a loaded module', () => {
    const { config } = readMemory({
      '/srv/httpd.conf':
        'ServerRoot /srv\nLoadModule wsgi_module "modules/mod_wsgi.so"\nLoadModule wsgi_module /opt/mod_wsgi.so\n',
    });
    assert.equal(config.wsgiModule, '/srv/modules/mod_wsgi.so');
  });

  it('is null when no LoadModule names wsgi_module (a skipped section does not count)', () => {
    const { config } = readMemory({
      '/srv/httpd.conf': '<IfDefine NOPE>\nLoadModule wsgi_module /opt/mod_wsgi.so\n</IfDefine>\n',
    });
    assert.equal(config.wsgiModule, null);
  });
});
