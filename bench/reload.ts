import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverInstances } from '../src/groups/discover.js';
import { createProcessSource } from '../src/processes/index.js';
import { startSandbox } from '../src/sandbox/apache.js';
import { median, printTable } from './lib.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
const ROUNDS = 5;

async function daemonPids(pid: number): Promise<number[]> {
  const [instance] = await discoverInstances(createProcessSource(), { instance: pid });
  return (instance?.children ?? [])
    .filter((member) => member.role === 'daemon')
    .map((member) => member.process.pid);
}

/** `apachectl graceful`'s way: SIGUSR1 to the parent, timed until every daemon of every group is new. */
async function timeGracefulRestart(parentPid: number, daemons: number): Promise<number> {
  const before = new Set(await daemonPids(parentPid));
  const start = process.hrtime.bigint();
  process.kill(parentPid, 'SIGUSR1');
  for (;;) {
    const now = await daemonPids(parentPid);
    if (now.length === daemons && now.every((pid) => !before.has(pid))) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function timeWsgictl(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [join(REPO, 'bin/wsgictl.js'), 'reload', ...args], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`wsgictl reload ${args.join(' ')}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function benchReload(): Promise<void> {
  const sandbox = await startSandbox({ groups: [{ name: 'django', processes: 3 }] });
  try {
    const instance = ['--instance', String(sandbox.pid)];
    const samples = { all: [] as number[], rolling: [] as number[], graceful: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      samples.all.push(timeWsgictl(['django', ...instance]));
      samples.rolling.push(timeWsgictl(['django', '--rolling', ...instance]));
      samples.graceful.push(await timeGracefulRestart(sandbox.pid, 3));
    }
    const reference = median(samples.graceful);
    printTable(
      `reload of a 3-process group, command start to confirmed replacement (median of ${ROUNDS}, alternated)`,
      [
        ['way', 'median ms', 'x graceful restart'],
        ['SIGUSR1 to the Apache parent (apachectl graceful)', reference.toFixed(0), '1.00'],
        [
          'wsgictl reload django',
          median(samples.all).toFixed(0),
          (median(samples.all) / reference).toFixed(2),
        ],
        [
          'wsgictl reload django --rolling',
          median(samples.rolling).toFixed(0),
          (median(samples.rolling) / reference).toFixed(2),
        ],
      ],
    );
  } finally {
    await sandbox.stop();
  }
}
