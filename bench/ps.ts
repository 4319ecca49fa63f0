import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../src/sandbox/apache.js';
import { alternate, printTable } from './lib.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '../..');
const EXTRA_PROCESSES = 2000;
const ROUNDS = 21;

/** Starts `count` idle processes in a process group of their own, so that they can be ended together. */
async function startIdleProcesses(count: number): Promise<() => void> {
  const shell = spawn('bash', ['-c', `for i in $(seq ${count}); do sleep 900 & done; echo ready; wait`], {
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => shell.stdout.once('data', () => resolve()));
  return () => process.kill(-(shell.pid as number), 'SIGTERM');
}

export async function benchPs(): Promise<void> {
  const sandbox = await startSandbox({
    groups: [
      { name: 'django', processes: 3 },
      { name: 'djangoadmin', processes: 1 },
    ],
  });
  const stopIdle = await startIdleProcesses(EXTRA_PROCESSES);
  try {
    const medians = alternate(
      [
        { name: 'pgrep -f wsgi: (procps, C)', command: 'pgrep', args: ['-f', 'wsgi:'] },
        {
          name: 'wsgictl ps --json',
          command: process.execPath,
          args: [join(REPO, 'bin/wsgictl.js'), 'ps', '--json'],
        },
        {
          // No cache (root ignores XDG_CACHE_HOME): every run asks the binary for -l and -v again.
          name: 'wsgictl ps --json, no -l/-v cache',
          command: 'env',
          args: ['WSGICTL_NO_CACHE=1', process.execPath, join(REPO, 'bin/wsgictl.js'), 'ps', '--json'],
        },
        {
          name: 'lean node /proc cmdline scan',
          command: process.execPath,
          args: [join(HERE, 'lean-scan.js')],
        },
        { name: 'ps-list scan (node)', command: process.execPath, args: [join(HERE, 'pslist-scan.js')] },
        { name: 'node -e 0', command: process.execPath, args: ['-e', '0'] },
      ],
      ROUNDS,
    );
    const reference = medians.get('pgrep -f wsgi: (procps, C)') as number;
    printTable(`wsgictl ps with ${EXTRA_PROCESSES} extra idle processes (median of ${ROUNDS}, alternated)`, [
      ['command', 'median ms', 'x pgrep'],
      ...[...medians].map(([name, ms]) => [name, ms.toFixed(1), (ms / reference).toFixed(2)]),
    ]);
    const ratio = (medians.get('wsgictl ps --json') as number) / reference;
    console.log(
      `  target: wsgictl ps --json at most 1.30x pgrep -> ${ratio <= 1.3 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x)`,
    );
  } finally {
    stopIdle();
    await sandbox.stop();
  }
}
