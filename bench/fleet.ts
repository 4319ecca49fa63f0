import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFleet } from '../test/helpers/hosts.js';
import { alternate, type Contender, printTable } from './lib.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
const HOSTS = 10;
const ROUNDS = 7;

/**
 * Simulated hosts (as in the fleet tests: pid + mount namespace, real sshd and Apache each), needs root.
 * 1. `ps --json` on 10 hosts, all at once against one by one.
 * 2. What a reload costs over ssh: the same `reload` run on the host itself (the reference), over a
 *    persistent connection (ControlMaster, as `watch --host` keeps one), and over a new login each time.
 */
export async function benchFleet(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the fleet bench needs root (simulated hosts)');
  const names = Array.from({ length: HOSTS }, (_, i) => `h${i + 1}`);
  const fleet = await startFleet(names.map((name) => ({ name, groups: [{ name: 'django' }] })));
  try {
    const wsgictl = [join(REPO, 'bin/wsgictl.js')];
    const ps = (parallel: number): Contender => ({
      name: `ps --json on ${HOSTS} hosts, --parallel ${parallel}`,
      command: process.execPath,
      args: [...wsgictl, 'ps', '--json', '--parallel', String(parallel), ...fleet.args(names)],
    });
    const psTimes = alternate([ps(1), ps(HOSTS)], ROUNDS);
    const oneByOne = psTimes.get(ps(1).name) as number;
    printTable(`fleet ps over ${HOSTS} simulated hosts (median of ${ROUNDS}, alternated)`, [
      ['way', 'median ms', 'x one by one'],
      ...[ps(1), ps(HOSTS)].map((c) => {
        const ms = psTimes.get(c.name) as number;
        return [c.name, ms.toFixed(0), (ms / oneByOne).toFixed(2)];
      }),
    ]);

    const host = fleet.hosts[0] ?? assert('no host');
    const controlPath = join(fleet.dir, 'cm-%C');
    // The way each command reaches the host: the reference runs on the host itself.
    const ways = (args: string[]): Contender[] => [
      {
        name: 'on the host itself (nsenter into its namespaces)',
        command: 'nsenter',
        args: ['--target', String(host.pid), '--pid', '--mount', '--', process.execPath, ...wsgictl, ...args],
      },
      ...[true, false].map((control) => ({
        name: control ? 'over ssh, persistent connection (ControlMaster)' : 'over ssh, a new login each time',
        command: 'ssh',
        args: [
          '-F',
          fleet.sshConfig,
          '-o',
          'BatchMode=yes',
          ...(control
            ? ['-o', 'ControlMaster=auto', '-o', `ControlPath=${controlPath}`, '-o', 'ControlPersist=10m']
            : []),
          host.name,
          fleet.remoteWsgictl,
          '--envelope',
          ...args,
        ],
      })),
    ];
    // --dry-run makes every check a reload makes and sends nothing: the cost of reaching the host shows.
    // A real reload ends on Apache's own once-a-second check for dead children, which hides it.
    for (const [title, args] of [
      ['reload django --dry-run (every check, no signal)', ['reload', 'django', '--dry-run', '--json']],
      ['reload django (1 process, to the confirmed replacement)', ['reload', 'django', '--json']],
    ] as const) {
      const contenders = ways([...args]);
      const times = alternate(contenders, ROUNDS);
      const reference = times.get(contenders[0]?.name ?? '') as number;
      printTable(`wsgictl ${title} on a host (median of ${ROUNDS}, alternated)`, [
        ['way', 'median ms', 'overhead ms', 'x on the host'],
        ...contenders.map((c) => {
          const ms = times.get(c.name) as number;
          return [c.name, ms.toFixed(0), (ms - reference).toFixed(0), (ms / reference).toFixed(2)];
        }),
      ]);
    }
    spawnSync('ssh', ['-F', fleet.sshConfig, '-o', `ControlPath=${controlPath}`, '-O', 'exit', host.name]);
  } finally {
    await fleet.stop();
  }
}

function assert(message: string): never {
  throw new Error(message);
}
