import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../src/sandbox/apache.js';
import { findApache, sandboxWsgiVersion } from '../src/sandbox/install.js';
import type { Sandbox } from '../src/sandbox/types.js';
import { median, printTable } from './lib.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
const ROUNDS = 5;
const POLL_MS = 2;
const GROUPS = [
  { name: 'django', processes: 3 },
  { name: 'flask', processes: 2 },
  { name: 'api', processes: 1 },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (match?.[1]) inodes.add(match[1]);
      } catch {}
    }
  } catch {}
  return inodes;
}

/** inode -> group id, for the mod_wsgi listeners in /proc/net/unix named after `parent`. */
function readListeners(parent: number): Map<string, number> {
  const listeners = new Map<string, number>();
  for (const line of readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const match = new RegExp(`\\.${parent}\\.\\d+\\.(\\d+)\\.sock$`).exec(fields[7] ?? '');
    if (match && fields[6]) listeners.set(fields[6], Number(match[1]));
  }
  return listeners;
}

/** pid -> threads of the parent's live children, from /proc/PID/stat. */
function readChildren(parent: number): Map<number, number> {
  const children = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[1]) === parent && rest[0] !== 'Z') children.set(Number(entry), Number(rest[17]));
    } catch {}
  }
  return children;
}

/**
 * The reference's "every group up", as a shell loop over /proc would judge it: the parent holds listeners
 * none of which it held before, one per group, and each group has processes= children with threads started
 * that hold its new listener.
 */
function isEveryGroupUp(parent: number, oldInodes: Set<string>): boolean {
  const held = socketInodes(parent);
  const listeners = new Map([...readListeners(parent)].filter(([inode]) => held.has(inode)));
  if (listeners.size < GROUPS.length || [...listeners.keys()].some((inode) => oldInodes.has(inode)))
    return false;
  const up = new Map<number, number>();
  for (const [pid, threads] of readChildren(parent)) {
    if (threads <= 1) continue;
    for (const inode of socketInodes(pid)) {
      const id = listeners.get(inode);
      if (id !== undefined) up.set(id, (up.get(id) ?? 0) + 1);
    }
  }
  return GROUPS.every((group, i) => (up.get(i + 1) ?? 0) >= group.processes);
}

/** `apache2 -f CONF -DFOREGROUND -k graceful` (the instance's own flags), then a 2 ms /proc poll. */
async function timeReference(sandbox: Sandbox, binary: string): Promise<number> {
  const oldInodes = new Set(readListeners(sandbox.pid).keys());
  const start = process.hrtime.bigint();
  const result = spawnSync(binary, ['-f', sandbox.configFile, '-DFOREGROUND', '-k', 'graceful'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (result.status !== 0) throw new Error(`${binary} -k graceful exited ${result.status}: ${result.stderr}`);
  while (!isEveryGroupUp(sandbox.pid, oldInodes)) {
    if (since(start) > 30_000) throw new Error('the reference did not see every group up within 30 s');
    await sleep(POLL_MS);
  }
  return since(start);
}

function timeWsgictl(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [join(REPO, 'bin/wsgictl.js'), ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`wsgictl ${args.join(' ')}: ${result.stdout}${result.stderr}`);
  return since(start);
}

const ms = (value: number) => value.toFixed(0);

export async function benchGraceful(): Promise<void> {
  const install = findApache();
  if (!install) throw new Error('no Apache + mod_wsgi found: the graceful benchmark needs one');
  const sandbox = await startSandbox({ install, groups: GROUPS });
  try {
    const instance = ['--instance', String(sandbox.pid)];
    const samples: Record<'reference' | 'graceful' | 'dry', number[]> = {
      reference: [],
      graceful: [],
      dry: [],
    };
    timeWsgictl(['graceful', ...instance]); // warm the page cache and Apache
    for (let round = 0; round < ROUNDS; round++) {
      samples.reference.push(await timeReference(sandbox, install.binary));
      samples.graceful.push(timeWsgictl(['graceful', ...instance]));
      samples.dry.push(timeWsgictl(['graceful', '--dry-run', ...instance]));
    }
    const reference = median(samples.reference);
    const graceful = median(samples.graceful);
    printTable(
      `graceful restart of ${GROUPS.map((g) => `${g.name} (${g.processes})`).join(', ')} on mod_wsgi ${sandboxWsgiVersion(install) ?? '?'}, ms from the command to every group up (median of ${ROUNDS}, alternated); reference = ${install.binary} -k graceful with the instance's flags, then a ${POLL_MS} ms /proc poll; --dry-run = node start-up, discovery and the config test`,
      [
        ['contender', 'ms', 'x reference'],
        ['reference: -k graceful + /proc poll', ms(reference), '1.00'],
        ['wsgictl graceful', ms(graceful), (graceful / reference).toFixed(2)],
        ['wsgictl graceful --dry-run', ms(median(samples.dry)), (median(samples.dry) / reference).toFixed(2)],
      ],
    );
  } finally {
    await sandbox.stop();
  }
}
