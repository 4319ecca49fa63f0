import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ApacheConfig } from '../../src/apache/config/model.js';
import { loadApacheConfig } from '../../src/apache/config/reader.js';
import { ReadBudget, resolveInside } from '../../src/files/safe-files.js';
import { hostFiles } from '../../src/files/view.js';
import { readPidFile } from '../../src/groups/instance.js';

const dir = mkdtempSync(join(tmpdir(), 'wsgictl-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;

/** Reads `text` as the configuration file of a fresh folder (after `setup` made the rest), bounded in time. */
function readHostile(text: string, setup: (root: string) => void = () => {}, given?: ReadBudget) {
  const root = join(dir, `case${++count}`);
  mkdirSync(root);
  setup(root);
  writeFileSync(join(root, 'httpd.conf'), text);
  // The budget's clock starts now, after the setup (writing 10,001 files took seconds on a loaded machine).
  const budget = given ?? new ReadBudget();
  const started = Date.now();
  const rss = process.memoryUsage().rss;
  const config = loadApacheConfig(
    {
      configFile: join(root, 'httpd.conf'),
      serverRoot: root,
      defines: new Map(),
      preDirectives: [],
      postDirectives: [],
    },
    {},
    { modules: null, version: null },
    hostFiles('', budget),
    budget,
  );
  return { config, root, ms: Date.now() - started, grewBytes: process.memoryUsage().rss - rss };
}

function reasons(config: ApacheConfig): string {
  return config.doubts.map((doubt) => `${doubt.file}:${doubt.line} ${doubt.reason}`).join('\n');
}

describe('hostile configurations end, bounded, with a doubt (finding 6)', () => {
  it('a file that Includes itself twice', () => {
    const looped = readHostile('Include self.conf\n', (root) =>
      writeFileSync(join(root, 'self.conf'), `Include ${root}/self.conf\nInclude ${root}/self.conf\n`),
    );
    assert.match(reasons(looped.config), /self\.conf includes itself, which never ends; wsgictl stopped/);
    assert.ok(looped.ms < 2000);
  });

  it('40 x Define A ${A}${A} stops at 64 KiB, in little time and memory', () => {
    const bomb = [
      'Define A x',
      ...Array.from({ length: 40 }, () => 'Define A ${A}${A}'),
      'WSGIDaemonProcess after',
    ];
    const { config, ms, grewBytes } = readHostile(`${bomb.join('\n')}\n`);
    assert.match(
      reasons(config),
      /httpd\.conf:17 its \$\{\} expands to more than 65536 characters; wsgictl stopped/,
    );
    assert.deepEqual(config.groups, [], 'nothing after the bomb is taken as read');
    assert.ok(ms < 2000, `${ms} ms`);
    assert.ok(grewBytes < 300 << 20, `${grewBytes} bytes`);
  });

  it('Include /dev/zero and Include of a FIFO: not regular files, refused at once', () => {
    const { config, ms } = readHostile(
      'Include /dev/zero\nInclude fifo\nWSGIDaemonProcess django\n',
      (root) => execFileSync('mkfifo', [join(root, 'fifo')]),
    );
    assert.match(reasons(config), /\/dev\/zero cannot be read \(not a regular file\)/);
    assert.match(reasons(config), /fifo cannot be read \(not a regular file\)/);
    assert.deepEqual(
      config.groups.map((g) => g.name),
      ['django'],
    );
    assert.ok(ms < 1000);
  });

  it('a 100 MB line: over the per-file cap; a 100 KB line: a doubt naming its file and line', () => {
    const big = readHostile(`Include huge.conf\n`, (root) => {
      writeFileSync(join(root, 'huge.conf'), `Define X ${'y'.repeat(100 << 20)}\n`);
    });
    assert.match(reasons(big.config), /huge\.conf cannot be read \(EFBIG\)/);
    assert.ok(big.ms < 5000 && big.grewBytes < 300 << 20, `${big.ms} ms, ${big.grewBytes} bytes`);
    const long = readHostile(`ServerName ${'a'.repeat(100_000)}\nWSGIDaemonProcess django\n`);
    assert.match(
      reasons(long.config),
      /httpd\.conf:1 .*longer than 65536 characters; wsgictl did not read it/,
    );
    assert.deepEqual(
      long.config.groups.map((g) => g.name),
      ['django'],
    );
  });

  it('a folder of symlinks to itself', () => {
    const { config, ms } = readHostile('Include conf.d\n', (root) => {
      mkdirSync(join(root, 'conf.d'));
      for (const name of ['a', 'b', 'c', 'd']) symlinkSync('.', join(root, 'conf.d', name));
    });
    assert.match(reasons(config), /conf\.d\/a is a folder inside itself \(a symlink loop\)/);
    assert.ok(ms < 2000, `${ms} ms`);
  });

  it('more than 10,000 names in an included folder', () => {
    const { config } = readHostile('Include many/*.conf\n', (root) => {
      mkdirSync(join(root, 'many'));
      for (let i = 0; i <= 10_000; i++) writeFileSync(join(root, 'many', `${i}`), '');
    });
    assert.match(reasons(config), /many cannot be listed \(more than 10000 entries\)/);
  });

  it('the time budget and the byte budget of an instance end the reading with one doubt', () => {
    const slow = readHostile('ServerName a\nServerName b\n', () => {}, new ReadBudget(-1));
    assert.match(reasons(slow.config), /reading the configuration took longer than -1 ms; wsgictl stopped/);
    const fat = readHostile(
      'Include a.conf\nInclude b.conf\n',
      (root) => {
        writeFileSync(join(root, 'a.conf'), `# ${'x'.repeat(600)}\n`);
        writeFileSync(join(root, 'b.conf'), `# ${'x'.repeat(600)}\n`);
      },
      new ReadBudget(5000, 1000),
    );
    assert.equal(fat.config.doubts.length, 1);
    assert.match(reasons(fat.config), /more than 1000 bytes; wsgictl stopped/);
  });
});

describe('paths inside a container root (finding 5)', () => {
  const root = join(dir, 'container');
  const host = join(dir, 'host-secret');
  mkdirSync(join(root, 'etc/apache2'), { recursive: true });
  mkdirSync(join(root, 'run'), { recursive: true });
  mkdirSync(host, { mode: 0o700 });
  writeFileSync(join(host, 'pid'), '4242\n');
  writeFileSync(join(host, 'passwd'), 'hostonly:x:0:0::/:/bin/sh\n');
  writeFileSync(join(root, 'etc/passwd'), 'www-data:x:33:33::/:/bin/sh\n');
  symlinkSync(join(host, 'pid'), join(root, 'run/abs.pid'));
  symlinkSync(`../../../../../../..${host}/pid`, join(root, 'run/rel.pid'));
  symlinkSync('loop', join(root, 'run/loop'));

  it('an absolute link restarts at the root, .. stops there, a link loop is ELOOP', () => {
    assert.equal(resolveInside(root, '/etc/./apache2/'), '/etc/apache2');
    assert.throws(() => resolveInside(root, '/run/abs.pid'), { code: 'ENOENT' });
    assert.throws(() => resolveInside(root, '/run/rel.pid'), { code: 'ENOENT' });
    assert.throws(() => resolveInside(root, `/../../..${host}/pid`), { code: 'ENOENT' });
    assert.throws(() => resolveInside(root, '/run/loop'), { code: 'ELOOP' });
    assert.equal(resolveInside('', join(host, 'pid')), join(host, 'pid'), 'the host itself: root ""');
  });

  it('a PidFile linked or dotted out of the container reads nothing of the host', () => {
    const files = hostFiles(root);
    const config = (pidFile: string) => ({ pidFile, serverRoot: '/etc/apache2' }) as ApacheConfig;
    assert.equal(readPidFile(config('/run/abs.pid'), files), null);
    assert.equal(readPidFile(config('/run/rel.pid'), files), null);
    assert.equal(readPidFile(config(`/../../../..${host}/pid`), files), null);
    assert.equal(readPidFile(config(join(host, 'pid')), hostFiles('')), 4242, 'the same file on the host');
    assert.match(files.readText('/etc/passwd'), /www-data/);
  });
});
