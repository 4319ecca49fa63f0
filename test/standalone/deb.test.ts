import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { VERSION } from '../../src/version.js';
import { REPO } from '../helpers/cli.js';
import { buildStandalone, runWithoutNode } from '../helpers/standalone.js';

const { NODE_VERSION } = (await import(pathToFileURL(join(REPO, 'scripts/standalone/pins.mjs')).href)) as {
  NODE_VERSION: string;
};

const run = (file: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(file, args, { encoding: 'utf8', timeout: 120_000, env, maxBuffer: 16 * 1024 * 1024 });

/** dpkg-deb builds the package: Debian's tools, here and in CI. */
const skip = process.platform !== 'linux' ? 'the .deb is built and installed on Linux (dpkg)' : false;

describe('the amd64 .deb installed with dpkg into a fresh root', { skip, timeout: 300_000 }, () => {
  let root: string;
  before(() => {
    // Not helpers/apache.js's requireRoot: importing it would put this file in the mod_wsgi matrix's reruns.
    if (process.getuid?.() !== 0) assert.fail('this test needs root for dpkg --root: run the tests as root');
    buildStandalone('linux-x64');
    const built = run(process.execPath, ['scripts/standalone/deb.mjs', '--arch', 'amd64', '--fast'], {
      ...process.env,
    });
    assert.equal(built.status, 0, built.stderr);
    root = mkdtempSync(join(tmpdir(), 'wsgictl-deb-root-'));
    // An empty dpkg database: nothing installed there, so its Depends (libc6...) are forced; the
    // executable then runs with this machine's C libraries.
    for (const dir of ['var/lib/dpkg/info', 'var/lib/dpkg/updates'])
      mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, 'var/lib/dpkg/status'), '');
    const install = run('dpkg', [
      `--root=${root}`,
      '--force-depends',
      '--force-not-root',
      '-i',
      join(REPO, `dist/wsgictl_${VERSION}_amd64.deb`),
    ]);
    assert.equal(install.status, 0, `${install.stdout}${install.stderr}`);
  });
  after(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('dpkg lists its files where each tool looks', () => {
    const listed = run('dpkg', [`--root=${root}`, '-L', 'wsgictl']);
    assert.equal(listed.status, 0, listed.stderr);
    for (const path of [
      '/usr/bin/wsgictl',
      '/usr/share/man/man1/wsgictl.1.gz',
      '/usr/share/bash-completion/completions/wsgictl',
      '/usr/share/zsh/vendor-completions/_wsgictl',
      '/usr/share/fish/vendor_completions.d/wsgictl.fish',
      '/usr/share/doc/wsgictl/copyright',
    ]) {
      assert.ok(listed.stdout.split('\n').includes(path), `${path} in ${listed.stdout}`);
    }
  });

  it('/usr/bin/wsgictl --version runs where no node exists', async () => {
    const result = await runWithoutNode(join(root, 'usr/bin/wsgictl'), ['--version']).done;
    assert.deepEqual(
      [result.code, result.stdout, result.stderr],
      [0, `wsgictl ${VERSION} (standalone, node ${NODE_VERSION}, linux-x64)\n`, ''],
    );
  });

  it('man -l shows the page, with every command and the exit codes', () => {
    const page = run('man', ['-l', join(root, 'usr/share/man/man1/wsgictl.1.gz')], {
      ...process.env,
      MANPAGER: 'cat',
      MANWIDTH: '120',
      LANG: 'C.UTF-8',
    });
    assert.equal(page.status, 0, page.stderr);
    assert.match(page.stdout, /^WSGICTL\(1\)/);
    for (const command of ['ps', 'reload', 'signal', 'watch', 'logs', 'demo', 'completion']) {
      assert.match(page.stdout, new RegExp(`^ {3}wsgictl ${command} `, 'm'), command);
    }
    assert.match(page.stdout, /EXIT STATUS[\s\S]*\n {7}5 +refused: the evidence/);
  });

  it('lintian: no tag beyond the overrides the package explains (when lintian is installed)', (t) => {
    if (run('sh', ['-c', 'command -v lintian']).status !== 0) {
      t.skip('lintian is not installed (apt-get install lintian; the release workflow runs it)');
      return;
    }
    const result = run('lintian', [
      '--tag-display-limit',
      '0',
      join(REPO, `dist/wsgictl_${VERSION}_amd64.deb`),
    ]);
    const tags = result.stdout.split('\n').filter((line) => /^[EWIPX]: /.test(line));
    assert.deepEqual(tags, [], result.stdout);
    assert.equal(result.status, 0, result.stderr);
  });

  it('bash loads the installed completion and completes a command', () => {
    const script = join(root, 'usr/share/bash-completion/completions/wsgictl');
    const result = run('bash', [
      '-c',
      `source ${script}; complete -p wsgictl; COMP_WORDS=(wsgictl rel); COMP_CWORD=1; _wsgictl; echo "\${COMPREPLY[*]}"`,
    ]);
    assert.deepEqual(
      [result.status, result.stdout, result.stderr],
      [0, 'complete -F _wsgictl wsgictl\nreload\n', ''],
    );
  });
});
