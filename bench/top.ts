import { appendFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../src/sandbox/apache.js';
import { alternate, printTable } from './lib.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '../..');
const ROUNDS = 21;
/** top reads at most the last 8 MiB of each error log: the bench makes the log that big. */
const LOG_BYTES = 8 << 20;

/** Grows the error log to LOG_BYTES with its own lines, as a busy day at LogLevel info would. */
function growLog(path: string): void {
  const own = readFileSync(path, 'utf8');
  const chunk =
    own.length > 0 ? own : '[Thu Dec 03 13:10:07.000000 2026] [core:info] [pid 1:tid 1] padding\n';
  let size = own.length;
  const block = chunk.repeat(Math.max(1, Math.floor((1 << 20) / chunk.length)));
  while (size < LOG_BYTES) {
    appendFileSync(path, block);
    size += block.length;
  }
}

export async function benchTop(): Promise<void> {
  const sandbox = await startSandbox({
    groups: [
      { name: 'django', processes: 3 },
      { name: 'once', processes: 1, options: 'maximum-requests=1' },
    ],
  });
  growLog(sandbox.errorLog);
  const cli = (...args: string[]) => [
    join(REPO, 'bin/wsgictl.js'),
    ...args,
    '--instance',
    String(sandbox.pid),
  ];
  try {
    const medians = alternate(
      [
        { name: 'wsgictl ps', command: process.execPath, args: cli('ps') },
        { name: 'wsgictl ps --json', command: process.execPath, args: cli('ps', '--json') },
        { name: 'wsgictl top --once', command: process.execPath, args: cli('top', '--once') },
        {
          name: 'wsgictl top --once --json',
          command: process.execPath,
          args: cli('top', '--once', '--json'),
        },
        {
          name: 'ps -eo pid,rss,nlwp,time,args (procps)',
          command: 'ps',
          args: ['-eo', 'pid,rss,nlwp,time,args'],
        },
      ],
      ROUNDS,
    );
    const reference = medians.get('wsgictl ps') as number;
    printTable(
      `wsgictl top --once beside wsgictl ps, error log of ${LOG_BYTES >> 20} MiB (median of ${ROUNDS}, alternated)`,
      [
        ['command', 'median ms', 'x wsgictl ps'],
        ...[...medians].map(([name, ms]) => [name, ms.toFixed(1), (ms / reference).toFixed(2)]),
      ],
    );
    const ratio = (medians.get('wsgictl top --once') as number) / reference;
    console.log(
      `  target: wsgictl top --once at most 1.50x wsgictl ps -> ${ratio <= 1.5 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}x)`,
    );
  } finally {
    await sandbox.stop();
  }
}
