import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { apacheLayout, parseApacheCommandLine } from '../../src/apache/config.js';
import { loadApacheConfig } from '../../src/apache/reader.js';
import { splitDirectives, splitWords } from '../../src/apache/tokenize.js';

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
    assert.deepEqual(splitDirectives('# c\nWSGIDaemonProcess a \\\n  processes=3\n\n  ServerRoot /x\n'), [
      { directive: 'WSGIDaemonProcess', args: 'a    processes=3', line: 2 },
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
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Apache's own ${VAR} syntax
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
    assert.match(result.warnings[0] ?? '', /nest deeper/);
  });
});
