// `npm run dist` (after `npm run build`): the standalone executables, Node single executable applications
// made from the pinned Node binaries of scripts/standalone/pins.mjs, into dist/standalone/ with a SHA256SUMS file.
//   node scripts/standalone/build.mjs [--target linux-x64 ...] [--no-code-cache] [--out DIR]
// Every step is cached under .cache/dist, keyed by its inputs: the Node tarballs by their pinned integrity,
// each executable by the hash of the bundle, the pin, this script and postject's version. A second run with
// the same inputs only copies files, so tests and CI can call it as often as they like.
// The only download is `npm pack node-<platform>@VERSION`: the npm registry, nothing else.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_VERSION, TARGETS } from './pins.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = join(ROOT, '.cache/dist');
const OUT = join(ROOT, 'dist/standalone');
/** The fuse Node's SEA support looks for (node/src/node_sea.cc); postject flips it when it injects. */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const require = createRequire(import.meta.url);

/** The target this machine can run: the only one whose blob can carry a V8 code cache. */
function hostTarget() {
  const name = `${process.platform === 'win32' ? 'win' : process.platform}-${process.arch}`;
  return TARGETS[name] ? name : undefined;
}

function sha(algorithm, data, encoding = 'hex') {
  return createHash(algorithm).update(data).digest(encoding);
}

function log(line) {
  process.stderr.write(`dist: ${line}\n`);
}

/** The pinned tarball from the registry, checked against its pinned sha512, then its node binary. */
function nodeBinary(target) {
  const pin = TARGETS[target];
  const dir = join(CACHE, 'node', `${pin.package}-${NODE_VERSION}`);
  const binary = join(dir, pin.binary);
  if (existsSync(binary)) return binary;
  mkdirSync(join(CACHE, 'node'), { recursive: true });
  const tmp = mkdtempSync(join(CACHE, 'node', '.pack-'));
  try {
    log(`npm pack ${pin.package}@${NODE_VERSION}`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const packed = JSON.parse(
      execFileSync(
        npm,
        ['pack', `${pin.package}@${NODE_VERSION}`, '--json', '--silent', '--pack-destination', tmp],
        {
          encoding: 'utf8',
          shell: process.platform === 'win32',
          maxBuffer: 64 * 1024 * 1024,
        },
      ),
    );
    const tarball = join(tmp, packed[0].filename);
    const integrity = `sha512-${sha('sha512', readFileSync(tarball), 'base64')}`;
    if (integrity !== pin.integrity) {
      throw new Error(
        `${pin.package}@${NODE_VERSION}: the tarball's ${integrity} is not the pinned ${pin.integrity}`,
      );
    }
    const unpacked = join(tmp, 'unpacked');
    mkdirSync(unpacked);
    execFileSync('tar', ['xzf', tarball, '-C', unpacked, pin.binary]);
    rmSync(dir, { recursive: true, force: true });
    renameSync(unpacked, dir);
    return binary;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Every JavaScript dependency in one CommonJS file. @parcel/watcher's addon stays out (the watcher polls:
 * docs/dist.md says why); import.meta.url, which ps-list reads, becomes the file's own URL.
 */
async function bundle() {
  const esbuild = require('esbuild');
  const cli = join(ROOT, 'dist/src/cli.js');
  if (!existsSync(cli)) throw new Error('dist/src/cli.js is missing: run `npm run build` first');
  const result = await esbuild.build({
    stdin: {
      contents:
        "require('./dist/src/cli.js').main(process.argv).then((code) => { process.exitCode = code; });\n",
      resolveDir: ROOT,
      sourcefile: 'wsgictl-standalone.cjs',
      loader: 'js',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    alias: { '@parcel/watcher': join(ROOT, 'scripts/standalone/no-native-watcher.cjs') },
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__importMetaUrl' },
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0].contents;
}

/** One executable: the node binary with the SEA blob injected, cached by the hash of what went into it. */
async function buildTarget(target, code, codeCache) {
  const pin = TARGETS[target];
  const postject = require('postject/package.json').version;
  const script = readFileSync(fileURLToPath(import.meta.url));
  const key = sha(
    'sha256',
    Buffer.concat([
      code,
      Buffer.from(`${NODE_VERSION}\0${pin.integrity}\0${codeCache}\0${postject}\0`),
      script,
    ]),
  ).slice(0, 20);
  const name = `wsgictl-${target}${pin.suffix}`;
  // With and without a code cache side by side (bench/standalone.ts runs both); older keys are replaced.
  const variant = `${target}${codeCache ? '' : '-no-code-cache'}-`;
  const cached = join(CACHE, 'sea', `${variant}${key}`, name);
  if (existsSync(cached)) return cached;
  const node = nodeBinary(target);
  // The blob is made by the pinned Node of this machine (a blob must come from the Node version it runs in).
  const host = hostTarget();
  if (!host) throw new Error(`no pinned Node for ${process.platform}-${process.arch} to make the blobs with`);
  const generator = nodeBinary(host);
  const work = mkdtempSync(join(CACHE, `.sea-${target}-`));
  try {
    writeFileSync(join(work, 'main.cjs'), code);
    writeFileSync(
      join(work, 'sea-config.json'),
      JSON.stringify({
        main: join(work, 'main.cjs'),
        output: join(work, 'blob'),
        disableExperimentalSEAWarning: true,
        useSnapshot: false,
        useCodeCache: codeCache,
      }),
    );
    execFileSync(generator, ['--experimental-sea-config', join(work, 'sea-config.json')], { stdio: 'pipe' });
    const exe = join(work, name);
    copyFileSync(node, exe);
    chmodSync(exe, 0o755);
    const { inject } = require('postject');
    await inject(exe, 'NODE_SEA_BLOB', readFileSync(join(work, 'blob')), { sentinelFuse: SEA_FUSE });
    const dir = dirname(cached);
    for (const old of readdirSync(join(CACHE, 'sea'), { withFileTypes: true }).filter(
      (entry) => entry.name.startsWith(variant) && /^[0-9a-f]+$/.test(entry.name.slice(variant.length)),
    ))
      rmSync(join(CACHE, 'sea', old.name), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    renameSync(exe, cached);
    return cached;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function parseArgs(argv) {
  const targets = [];
  let codeCache = true;
  let out = OUT;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--no-code-cache') codeCache = false;
    else if (arg === '--out' && argv[i + 1]) out = argv[++i];
    else if (arg === '--target' && TARGETS[argv[i + 1]]) targets.push(argv[++i]);
    else {
      throw new Error(
        `unknown argument ${JSON.stringify(arg)} ${argv[i + 1] ?? ''}: use --target ${Object.keys(TARGETS).join('|')} --no-code-cache or --out DIR`,
      );
    }
  }
  return { targets: targets.length > 0 ? targets : Object.keys(TARGETS), codeCache, out };
}

async function main() {
  const { targets, codeCache, out: outDir } = parseArgs(process.argv.slice(2));
  mkdirSync(join(CACHE, 'sea'), { recursive: true });
  mkdirSync(outDir, { recursive: true });
  const code = await bundle();
  const sums = [];
  for (const target of targets) {
    // A V8 code cache only for the machine's own platform: it is made by running the code here.
    const built = await buildTarget(target, code, codeCache && target === hostTarget());
    const out = join(outDir, `wsgictl-${target}${TARGETS[target].suffix}`);
    copyFileSync(built, `${out}.tmp`);
    chmodSync(`${out}.tmp`, 0o755);
    renameSync(`${out}.tmp`, out);
    sums.push(`${sha('sha256', readFileSync(out))}  wsgictl-${target}${TARGETS[target].suffix}\n`);
    process.stdout.write(`${out}\n`);
  }
  writeFileSync(join(outDir, 'SHA256SUMS'), sums.join(''));
}

main().catch((error) => {
  process.stderr.write(`dist: ${error.message}\n`);
  process.exit(1);
});
