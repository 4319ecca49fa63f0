// `npm run dist` (after build.mjs): dist/wsgictl_VERSION_amd64.deb and _arm64.deb with dpkg-deb. Each holds
// the standalone executable as /usr/bin/wsgictl, `man 1 wsgictl` made from the commands' own help
// (src/manual/man.ts), and the bash, zsh and fish completions that `wsgictl completion SHELL` prints, where
// each shell looks for them. Needs dpkg-deb (Debian, Ubuntu).
//   node scripts/standalone/deb.mjs [--arch amd64|arm64 ...] [--fast]
// --fast: gzip instead of xz (5 s instead of 2 min on two cores, 40% bigger), for the tests.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const ARCHES = { amd64: 'linux-x64', arm64: 'linux-arm64' };
const load = (path) => import(pathToFileURL(join(ROOT, path)).href);

/** The program as the CLI builds it; the context is never asked for anything while only help is read. */
async function program() {
  const { buildProgram } = await load('dist/src/cli.js');
  const { PLAIN } = await load('dist/src/cli/color.js');
  const quiet = () => {};
  return buildProgram({ out: quiet, err: quiet, color: PLAIN, errColor: PLAIN, env: {}, setExitCode: quiet });
}

/** The date of the last commit (reproducible: the same tree makes the same page), else today. */
function releaseDate() {
  try {
    return execFileSync('git', ['log', '-1', '--format=%cs'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return new Date().toISOString().slice(0, 10);
  }
}

/** gzip -9n: no name or time stamp in the header, as Debian policy asks of man pages. */
const gzip = (text) => gzipSync(Buffer.from(text), { level: 9 });

function write(root, path, content, mode = 0o644) {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  writeFileSync(file, content);
  chmodSync(file, mode);
}

const COPYRIGHT = `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: wsgictl

Files: *
Copyright: 2025-2026 the wsgictl authors
License: Expat

Files: usr/bin/wsgictl
Copyright: 2009-2026 Node.js contributors and the authors of its bundled libraries
License: Expat
Comment: the executable is Node.js (https://nodejs.org) with wsgictl's JavaScript injected as a single
 executable application; Node's own licence file, LICENSE in the node-linux-* npm packages, lists the
 licences of what it bundles.

License: Expat
 Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
 associated documentation files (the "Software"), to deal in the Software without restriction, including
 without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
 following conditions:
 .
 The above copyright notice and this permission notice shall be included in all copies or substantial
 portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
 LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
 EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
 IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE
 USE OR OTHER DEALINGS IN THE SOFTWARE.
`;

// What lintian still says, and why it stays: the executable is Node.js's own release binary (from the
// node-linux-* npm package) with a blob injected; rebuilding Node is not what this package is for.
const LINTIAN_OVERRIDES = `# Node.js links zlib (and OpenSSL, ICU, libuv...) statically into its release binaries.
wsgictl: embedded-library zlib [usr/bin/wsgictl]
# Node.js release binaries ship unstripped; strip would also have to know the SEA blob's ELF note.
wsgictl: unstripped-binary-or-object [usr/bin/wsgictl]
# Node.js release binaries for Linux are built without -pie.
wsgictl: hardening-no-pie [usr/bin/wsgictl]
`;

async function buildDeb(arch, files, fast) {
  const { VERSION } = await load('dist/src/version.js');
  const exe = join(ROOT, 'dist/standalone', `wsgictl-${ARCHES[arch]}`);
  if (!existsSync(exe)) throw new Error(`${exe} is missing: run node scripts/standalone/build.mjs first`);
  const root = mkdtempSync(join(ROOT, 'dist', `.deb-${arch}-`));
  chmodSync(root, 0o755);
  try {
    write(root, 'usr/bin/wsgictl', readFileSync(exe), 0o755);
    for (const [path, content] of Object.entries(files)) write(root, path, content);
    const installedKb = Math.ceil(
      [exe, ...Object.keys(files).map((path) => join(root, path))].reduce(
        (sum, f) => sum + statSync(f).size,
        0,
      ) / 1024,
    );
    write(
      root,
      'DEBIAN/control',
      [
        'Package: wsgictl',
        `Version: ${VERSION}`,
        `Architecture: ${arch}`,
        'Maintainer: wsgictl maintainers <wsgictl@users.noreply.github.com>',
        `Installed-Size: ${installedKb}`,
        // What the Node 22 binary links: glibc 2.28 or newer, libstdc++ and libgcc_s.
        'Depends: libc6 (>= 2.28), libgcc-s1, libstdc++6',
        'Recommends: apache2, libapache2-mod-wsgi-py3',
        'Section: admin',
        'Priority: optional',
        'Description: find and reload mod_wsgi daemon process groups',
        ' wsgictl finds the processes of a mod_wsgi daemon process group under Apache',
        ' and restarts exactly them, waiting for their replacements; it also watches',
        ' source trees to drive those reloads. This package carries its own Node.js',
        ' runtime: no nodejs package is needed.',
        '',
      ].join('\n'),
    );
    const out = join(ROOT, 'dist', `wsgictl_${VERSION}_${arch}.deb`);
    execFileSync(
      'dpkg-deb',
      ['--root-owner-group', ...(fast ? ['-Zgzip', '-z1'] : ['-Zxz', '-z6']), '--build', root, `${out}.tmp`],
      {
        stdio: 'pipe',
      },
    );
    renameSync(`${out}.tmp`, out);
    return out;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

async function main() {
  const args = process.argv.slice(2);
  const arches = [];
  let fast = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--fast') fast = true;
    else if (args[i] === '--arch' && ARCHES[args[i + 1]]) arches.push(args[++i]);
    else throw new Error(`unknown argument ${JSON.stringify(args[i])}: use --arch amd64|arm64 or --fast`);
  }
  const prog = await program();
  const { VERSION } = await load('dist/src/version.js');
  const { renderManPage } = await load('dist/src/manual/man.js');
  const { describeProgram } = await load('dist/src/completion/spec.js');
  const { renderBash } = await load('dist/src/completion/bash.js');
  const { renderZsh } = await load('dist/src/completion/zsh.js');
  const { renderFish } = await load('dist/src/completion/fish.js');
  const spec = describeProgram(prog);
  const changelog = `wsgictl (${VERSION}) unstable; urgency=medium\n\n  * Release ${VERSION}: see the project's README.\n\n -- wsgictl maintainers <wsgictl@users.noreply.github.com>  ${new Date(`${releaseDate()}T00:00:00Z`).toUTCString().replace('GMT', '+0000')}\n`;
  const files = {
    'usr/share/man/man1/wsgictl.1.gz': gzip(renderManPage(prog, { version: VERSION, date: releaseDate() })),
    'usr/share/bash-completion/completions/wsgictl': renderBash(spec),
    'usr/share/zsh/vendor-completions/_wsgictl': renderZsh(spec),
    'usr/share/fish/vendor_completions.d/wsgictl.fish': renderFish(spec),
    'usr/share/doc/wsgictl/copyright': COPYRIGHT,
    'usr/share/lintian/overrides/wsgictl': LINTIAN_OVERRIDES,
    'usr/share/doc/wsgictl/changelog.gz': gzip(changelog),
  };
  for (const arch of arches.length > 0 ? arches : Object.keys(ARCHES)) {
    process.stdout.write(`${await buildDeb(arch, files, fast)}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`deb: ${error.message}\n`);
  process.exit(1);
});
