import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GroupReloadResult } from '../src/reload/types.js';
import { startSandbox } from '../src/sandbox/apache.js';
import { findApache, sandboxWsgiVersion } from '../src/sandbox/install.js';
import { median, printTable, timeCommand } from './lib.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
const FILES = 2_000;
const CHANGED = 10;
const ROUNDS = 7;
const PER_FOLDER = 50;

/** A module of a realistic size: a class, a few functions, imports (about 60 lines). */
function moduleText(i: number): string {
  const lines = ['import os', 'import json', '', `CONSTANT_${i} = ${i}`, ''];
  lines.push(`class Model${i}:`, '    def __init__(self, value):', '        self.value = value', '');
  for (let f = 0; f < 8; f++) {
    lines.push(
      `def handler_${f}(request, *args, **kwargs):`,
      `    data = {"n": ${f}, "path": os.path.join("a", "b"), "items": [x * 2 for x in range(10)]}`,
      '    if request is None:',
      '        return json.dumps(data)',
      `    return Model${i}(data).value`,
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A 2,000-file app under the group's python-path=, all older than its daemons, in folders only root may
 * write (so no __pycache__ appears). Returns the folder and every module.
 */
function writeApp(): { root: string; lib: string; modules: string[]; script: string } {
  const root = mkdtempSync(join(tmpdir(), 'wsgictl-bench-preflight-'));
  chmodSync(root, 0o755);
  const lib = join(root, 'lib');
  const modules: string[] = [];
  const past = new Date(Date.now() - 3_600_000);
  for (let i = 0; i < FILES; i++) {
    const folder = join(lib, `pkg${Math.floor(i / PER_FOLDER)}`);
    if (i % PER_FOLDER === 0) mkdirSync(folder, { recursive: true, mode: 0o755 });
    const file = join(folder, `mod${i}.py`);
    writeFileSync(file, moduleText(i), { mode: 0o644 });
    utimesSync(file, past, past);
    modules.push(file);
  }
  const script = join(root, 'bench.wsgi');
  writeFileSync(
    script,
    "def application(environ, start_response):\n    start_response('200 OK', [])\n    return [b'ok']\n",
  );
  return { root, lib, modules, script };
}

function reloadJson(args: string[]): { wallMs: number; result: GroupReloadResult } {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [join(REPO, 'bin/wsgictl.js'), 'reload', '--json', ...args], {
    encoding: 'utf8',
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`wsgictl reload ${args.join(' ')}: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as GroupReloadResult[];
  if (!result) throw new Error('wsgictl reload printed no result');
  return { wallMs, result };
}

const ms = (value: number) => value.toFixed(0);

/**
 * `npm run bench -- preflight`: the pre-flight of a 2,000-file app where 10 files changed since its daemons
 * started, against the reload it guards (first signal to every replacement up, and the whole command) and
 * against `python3 -m py_compile` of the same files, all in the same run.
 */
export async function benchPreflight(): Promise<void> {
  const install = findApache({ PATH: process.env.PATH });
  if (!install) throw new Error('no Apache + mod_wsgi found: the pre-flight benchmark needs one');
  const app = writeApp();
  const pycache = mkdtempSync(join(tmpdir(), 'wsgictl-bench-pycache-'));
  const sandbox = await startSandbox({
    install,
    groups: [{ name: 'bench', processes: 2, options: `python-path=${app.lib}` }],
    extraConfig: `WSGIScriptAlias /app ${app.script} process-group=bench application-group=%{GLOBAL}\n<Directory ${app.root}>\n  Require all granted\n</Directory>`,
  });
  try {
    const instance = ['bench', '--instance', String(sandbox.pid)];
    const samples = {
      preflight: [] as number[],
      walk: [] as number[],
      compile: [] as number[],
      reload: [] as number[],
      wall: [] as number[],
      pyc: [] as number[],
    };
    let checked = 0;
    let seen = 0;
    for (let round = -1; round < ROUNDS; round++) {
      // A save of 10 files after the daemons of this round started. The wait after it puts the previous
      // round's save beyond the pre-flight's 1 s slack on the next round's daemons' start, so only 10 count.
      const changed = app.modules.slice(round * 37 + 100, round * 37 + 100 + CHANGED);
      for (const file of changed) writeFileSync(file, `${moduleText(round + 1000)}# round ${round}\n`);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const { wallMs, result } = reloadJson(instance);
      const report = result.preflight;
      if (report?.status !== 'passed') throw new Error(`pre-flight did not pass: ${JSON.stringify(report)}`);
      const compiled = report.files;
      const pyc = timeCommand('/usr/bin/python3', [
        '-X',
        `pycache_prefix=${pycache}`,
        '-m',
        'py_compile',
        ...compiled,
      ]);
      if (round < 0) continue; // warm-up: page cache, Apache, Python
      checked = compiled.length;
      seen = report.seen;
      samples.preflight.push(report.ms);
      samples.walk.push(report.walkMs ?? 0);
      samples.compile.push(report.compileMs ?? 0);
      samples.reload.push(result.ms);
      samples.wall.push(wallMs);
      samples.pyc.push(pyc);
    }
    const m = (values: number[]) => median(values);
    printTable(
      `pre-flight of a ${FILES}-file app, ${CHANGED} changed (${checked} files compiled with the scripts, ${seen} .py looked at), ms, median of ${ROUNDS}, mod_wsgi ${sandboxWsgiVersion(install)}`,
      [
        [
          'pre-flight',
          'of it: walk',
          'of it: compiler',
          'reload (signal -> up)',
          'share',
          'whole command',
          'python3 -m py_compile',
          'x py_compile',
        ],
        [
          ms(m(samples.preflight)),
          ms(m(samples.walk)),
          ms(m(samples.compile)),
          ms(m(samples.reload)),
          `${((100 * m(samples.preflight)) / m(samples.reload)).toFixed(1)}%`,
          ms(m(samples.wall)),
          ms(m(samples.pyc)),
          (m(samples.preflight) / m(samples.pyc)).toFixed(2),
        ],
      ],
    );
  } finally {
    await sandbox.stop();
    rmSync(app.root, { recursive: true, force: true });
    rmSync(pycache, { recursive: true, force: true });
  }
}
