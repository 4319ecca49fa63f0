import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpGet } from '../src/http.js';
import type { GroupReloadResult } from '../src/reload/types.js';
import { startSandbox } from '../src/sandbox/apache.js';
import { median, printTable } from './lib.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
const ROUNDS = 21;

/** An app that imports a module of its own, mounted at /shop beside the sandbox's /django: two mount points. */
function writeApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wsgictl-bench-app-'));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'appmod.py'), 'def hello():\n    return "hello"\n');
  writeFileSync(
    join(dir, 'shop.wsgi'),
    `import sys\nsys.path.insert(0, ${JSON.stringify(dir)})\nimport appmod\n\ndef application(environ, start_response):\n    start_response('200 OK', [('Content-Type', 'text/plain')])\n    return [appmod.hello().encode()]\n`,
  );
  return dir;
}

/**
 * One `wsgictl reload --json`: its wall time and the part of it that is not the wait for the replacements.
 * The wait depends on where the parent's once-a-second maintenance tick falls, so what a check adds is read
 * from the rest: start-up, discovery, the signal, and the check.
 */
function timeReload(args: string[]): { wall: number; outside: number; probes: number[] } {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [join(REPO, 'bin/wsgictl.js'), 'reload', '--json', ...args], {
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`wsgictl reload ${args.join(' ')}: ${result.stderr}`);
  const [group] = JSON.parse(result.stdout) as GroupReloadResult[];
  return { wall, outside: wall - (group?.ms ?? 0), probes: (group?.health ?? []).map((entry) => entry.ms) };
}

/** Requests all the URLs at once on fresh connections; the time until the last answer. */
async function timeParallel(urls: string[]): Promise<number> {
  const start = process.hrtime.bigint();
  await Promise.all(urls.map((url) => httpGet(url, 10_000)));
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function benchCheck(): Promise<void> {
  const app = writeApp();
  const sandbox = await startSandbox({
    groups: [{ name: 'django', processes: 3 }],
    extraConfig: `WSGIScriptAlias /shop ${app}/shop.wsgi process-group=django application-group=%{GLOBAL}\n<Directory ${app}>\n  Require all granted\n</Directory>\n`,
  });
  try {
    const args = ['django', '--instance', String(sandbox.pid)];
    const plain = { wall: [] as number[], outside: [] as number[] };
    const checked = { wall: [] as number[], outside: [] as number[], probes: [] as number[] };
    const fresh: number[] = [];
    const warm: number[] = [];
    timeReload(args); // warm caches
    for (let round = 0; round < ROUNDS; round++) {
      const a = timeReload(args);
      // What the check does, from here: both mount points at once, to the daemons that just started.
      fresh.push(await timeParallel([sandbox.url('django'), sandbox.url('shop')]));
      plain.wall.push(a.wall);
      plain.outside.push(a.outside);
      const b = timeReload([...args, '--check']);
      checked.wall.push(b.wall);
      checked.outside.push(b.outside);
      checked.probes.push(Math.max(...b.probes));
      // The same two, once those daemons have served: one round trip each, one after the other.
      warm.push((await timeParallel([sandbox.url('django')])) + (await timeParallel([sandbox.url('shop')])));
    }
    // Paired rounds: each --check run against the plain run just before it, so slow moments cancel out.
    const added = median(checked.outside.map((ms, i) => ms - (plain.outside[i] ?? ms)));
    const trip = median(fresh);
    const row = (name: string, ms: number, ratio = '') => [name, ms.toFixed(1), ratio];
    printTable(
      `reload of a 3-process group with two mount points, with and without --check (median of ${ROUNDS}, alternated)`,
      [
        ['measure', 'median ms', 'ratio'],
        row('wsgictl reload django (wall)', median(plain.wall), '1.00'),
        row(
          'wsgictl reload django --check (wall)',
          median(checked.wall),
          (median(checked.wall) / median(plain.wall)).toFixed(2),
        ),
        row('  outside the wait for replacements, without --check', median(plain.outside)),
        row('  outside the wait for replacements, with --check', median(checked.outside)),
        row(
          'what --check adds (median of the paired differences)',
          added,
          `${(added / median(plain.wall)).toFixed(3)} x the reload`,
        ),
        row(
          '  its slower request, the two at once (measured by wsgictl)',
          median(checked.probes),
          `${(added / median(checked.probes)).toFixed(2)} x it`,
        ),
        row('the same two at once from the bench (a warm Node), right after a plain reload', trip),
        row('the same two one after the other, daemons warm', median(warm)),
      ],
    );
  } finally {
    await sandbox.stop();
    rmSync(app, { recursive: true, force: true });
  }
}
