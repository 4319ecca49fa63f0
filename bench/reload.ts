import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../src/sandbox/apache.js';
import { type ApacheInstallation, findApache, sandboxWsgiVersion } from '../src/sandbox/install.js';
import { median, printTable } from './lib.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../..');
const ROUNDS = 7;
const PROCESSES = 3;
const POLL_MS = 2;

/** One child of the parent as /proc says now: pid, whether it is a daemon (argv[0] "(wsgi:"), its threads. */
interface Child {
  pid: number;
  daemon: boolean;
  threads: number;
}

/** The parent's live children, read straight from /proc: the cheapest honest look, as a shell loop would. */
function readChildren(parentPid: number): Child[] {
  const children: Child[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    let cmdline: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'latin1');
    } catch {
      continue;
    }
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(rest[1]) !== parentPid || rest[0] === 'Z') continue;
    children.push({ pid: Number(entry), daemon: cmdline.startsWith('(wsgi:'), threads: Number(rest[17]) });
  }
  return children;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Where a raw SIGINT's time goes: until the old daemons are gone, the new ones forked, and they are up. */
interface RawTimes {
  gone: number;
  forked: number;
  up: number;
}

/**
 * The floor: SIGINT to each daemon from here, then a 2 ms /proc poll until every old daemon is gone and as
 * many new ones run with their threads started (mod_wsgi starts them after the daemon's start-up).
 */
async function timeRawSigint(parentPid: number): Promise<RawTimes> {
  const before = readChildren(parentPid).filter((child) => child.daemon);
  const old = new Set(before.map((child) => child.pid));
  const start = process.hrtime.bigint();
  const since = () => Number(process.hrtime.bigint() - start) / 1e6;
  for (const child of before) process.kill(child.pid, 'SIGINT');
  const times: Partial<RawTimes> = {};
  for (;;) {
    const daemons = readChildren(parentPid).filter((child) => child.daemon);
    const fresh = daemons.filter((child) => !old.has(child.pid));
    if (times.gone === undefined && daemons.every((child) => !old.has(child.pid))) times.gone = since();
    if (times.forked === undefined && fresh.length >= before.length) times.forked = since();
    if (times.gone !== undefined && fresh.length >= before.length && fresh.every((c) => c.threads > 1)) {
      return { gone: times.gone, forked: times.forked ?? since(), up: since() };
    }
    await sleep(POLL_MS);
  }
}

function timeWsgictl(args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [join(REPO, 'bin/wsgictl.js'), ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`wsgictl ${args.join(' ')}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The packaged mod_wsgi and every version scripts/build-mod-wsgi.sh has built, oldest first. */
function findInstalls(): ApacheInstallation[] {
  const installs: ApacheInstallation[] = [];
  const packaged = findApache({ PATH: process.env.PATH });
  if (packaged) installs.push(packaged);
  const built = join(REPO, '.cache/mod_wsgi');
  const versions = existsSync(built) ? readdirSync(built).sort() : [];
  for (const version of versions) {
    const module = join(built, version, 'mod_wsgi.so');
    const install = existsSync(module)
      ? findApache({ PATH: process.env.PATH, WSGICTL_MOD_WSGI: module })
      : null;
    if (install) installs.push(install);
  }
  return installs;
}

const ms = (value: number) => value.toFixed(0);

export async function benchReload(): Promise<void> {
  const installs = findInstalls();
  if (installs.length === 0) throw new Error('no Apache + mod_wsgi found: the reload benchmark needs one');
  const rows: string[][] = [
    [
      'mod_wsgi',
      'raw: old gone',
      'raw: new forked',
      'raw: new up',
      'wsgictl reload',
      'x raw',
      'wsgictl share',
      'of it: --dry-run',
      '--rolling',
    ],
  ];
  for (const install of installs) {
    const sandbox = await startSandbox({ install, groups: [{ name: 'django', processes: PROCESSES }] });
    try {
      const instance = ['--instance', String(sandbox.pid)];
      const samples = { gone: [], forked: [], up: [], reload: [], dry: [], rolling: [] } as Record<
        string,
        number[]
      >;
      timeWsgictl(['reload', 'django', ...instance]); // warm the page cache and Apache
      for (let round = 0; round < ROUNDS; round++) {
        const raw = await timeRawSigint(sandbox.pid);
        samples.gone?.push(raw.gone);
        samples.forked?.push(raw.forked);
        samples.up?.push(raw.up);
        samples.reload?.push(timeWsgictl(['reload', 'django', ...instance]));
        samples.dry?.push(timeWsgictl(['reload', 'django', '--dry-run', ...instance]));
        samples.rolling?.push(timeWsgictl(['reload', 'django', '--rolling', ...instance]));
      }
      const m = (name: string) => median(samples[name] ?? []);
      rows.push([
        sandboxWsgiVersion(install) ?? install.wsgiModule,
        ms(m('gone')),
        ms(m('forked')),
        ms(m('up')),
        ms(m('reload')),
        (m('reload') / m('up')).toFixed(2),
        ms(m('reload') - m('up')),
        ms(m('dry')),
        ms(m('rolling')),
      ]);
    } finally {
      await sandbox.stop();
    }
  }
  printTable(
    `reload of a ${PROCESSES}-process group, ms from the command to every replacement up (median of ${ROUNDS}, alternated); raw = SIGINT from the bench and a ${POLL_MS} ms /proc poll; share = reload - raw up; --dry-run = node start-up, discovery and plan, no signal`,
    rows,
  );
}
