import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { WsgictlError } from '../errors.js';
import { httpGet } from '../http.js';
import { APP, groupFileTexts, renderConfig } from './config.js';
import { assertPortFree } from './port.js';

/** A daemon process group for a sandbox Apache. */
export interface SandboxGroup {
  name: string;
  processes?: number;
  threads?: number;
  /** Default `%{GROUP}`; null for no display-name at all. */
  displayName?: string | null;
  /**
   * A conditional section around the group's directives, e.g. `IfDefine NOPE`: when Apache skips it the
   * group never runs, and the sandbox does not wait for it.
   */
  section?: string;
  /** Whether the group's daemons are expected to run (default: true unless `section` is given). */
  runs?: boolean;
}

export interface SandboxOptions {
  groups: SandboxGroup[];
  /** The argv[0] Apache runs under: `apache2` gives short, cut display-names; a full path, longer ones. */
  argv0?: string;
  /** Extra directives appended to the configuration. */
  extraConfig?: string;
  /** How long to wait for every daemon to serve. */
  readyTimeoutMs?: number;
  /** Each group's WSGIDaemonProcess in its own conf.d/NN-NAME.conf, read by `IncludeOptional conf.d/*.conf`. */
  groupFiles?: boolean;
  /**
   * Run Apache in namespaces of its own, as in a container (root only): always a mount namespace, with its
   * configuration on a tmpfs that only it sees; `true` adds a network namespace (it cannot be reached over
   * HTTP from outside then). The object form chooses: `network`, `pid` (Apache is pid 1 there and names its
   * sockets so) and `socketDir` (WSGISocketPrefix's folder, on a tmpfs of the namespace's own, so that two
   * sandboxes can use the very same socket paths).
   */
  namespaces?: boolean | ContainerOptions;
  /** The port Apache listens on at 127.0.0.1 (default: a free one); one in use fails before Apache starts. */
  port?: number;
}

export interface ContainerOptions {
  network?: boolean;
  pid?: boolean;
  socketDir?: string;
}

export interface Sandbox {
  pid: number;
  port: number;
  root: string;
  configFile: string;
  /** Where the configuration files are written (with `namespaces`, a copy is what Apache reads). */
  configDir: string;
  errorLog: string;
  scriptFile: string;
  groups: SandboxGroupSpec[];
  /** The URL that group `name` serves (its WSGI app answers "GROUP PID"). */
  url(name: string, path?: string): string;
  /** pid -> group, from mod_wsgi's own "Starting process 'NAME'" lines in the error log: the ground truth. */
  startedDaemons(): Map<number, string>;
  stop(): Promise<void>;
}

export type SandboxGroupSpec = Required<Omit<SandboxGroup, 'section'>> & { section?: string };

export interface ApacheInstallation {
  binary: string;
  modulesDir: string;
}

const BINARIES = ['/usr/sbin/apache2', '/usr/sbin/httpd'];
const MODULE_DIRS = ['/usr/lib/apache2/modules', '/usr/lib64/httpd/modules', '/usr/lib/httpd/modules'];
export const SANDBOX_PACKAGES = 'apache2 libapache2-mod-wsgi-py3 apache2-utils';

/** Where Apache and mod_wsgi are installed, or null when they are not. */
export function findApache(): ApacheInstallation | null {
  const binary = BINARIES.find((path) => existsSync(path));
  const modulesDir = MODULE_DIRS.find((dir) => existsSync(join(dir, 'mod_wsgi.so')));
  return binary && modulesDir ? { binary, modulesDir } : null;
}

/** A free TCP port on loopback (the port is released before Apache binds it). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function parseStartedDaemons(log: string): Map<number, string> {
  const started = new Map<number, string>();
  for (const match of log.matchAll(/mod_wsgi \(pid=(\d+)\): Starting process '([^']+)'/g)) {
    started.set(Number(match[1]), match[2] as string);
  }
  return started;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

const running = new Set<ChildProcess>();
let exitHookRegistered = false;

/**
 * A test or demo that dies without calling stop() must not leave its Apache running. Registered by the first
 * start, not at import: importing this module (the demo command, test helpers) adds no process handler.
 */
function registerExitHook(): void {
  if (exitHookRegistered) return;
  exitHookRegistered = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/**
 * Starts a throwaway Apache + mod_wsgi in a temporary ServerRoot on a free loopback port, waits until every
 * group's daemons have started and each group serves, and hands back a way to stop it.
 */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const install = findApache();
  if (!install) {
    throw new WsgictlError(
      'NOT_SUPPORTED',
      `Apache with mod_wsgi is not installed: apt-get install ${SANDBOX_PACKAGES}`,
    );
  }
  if (options.namespaces && userInfo().uid !== 0) {
    throw new WsgictlError('PERMISSION', 'a sandbox in its own namespaces needs root');
  }
  if (options.port !== undefined && !options.namespaces) await assertPortFree(options.port);
  const groups = options.groups.map((group) => ({
    processes: 1,
    threads: 2,
    displayName: '%{GROUP}',
    runs: group.section === undefined,
    ...group,
  })) as SandboxGroupSpec[];
  const root = mkdtempSync(join(tmpdir(), 'wsgictl-apache-'));
  chmodSync(root, 0o755);
  mkdirSync(join(root, 'run'), { mode: 0o755 });
  const port = options.port ?? (await findFreePort());
  // With namespaces, Apache reads a copy in conf/ that a tmpfs hides from every other mount namespace.
  const configDir = options.namespaces ? join(root, 'conf') : root;
  const writeDir = options.namespaces ? join(root, 'staging') : root;
  const configFile = join(configDir, 'httpd.conf');
  const scriptFile = join(root, 'app.wsgi');
  const errorLog = join(root, 'error.log');
  writeFileSync(scriptFile, APP, { mode: 0o644 });
  mkdirSync(join(writeDir, 'conf.d'), { recursive: true, mode: 0o755 });
  if (options.namespaces) mkdirSync(configDir, { mode: 0o755 });
  writeFileSync(
    join(writeDir, 'httpd.conf'),
    renderConfig(root, configDir, port, install.modulesDir, groups, options),
    { mode: 0o644 },
  );
  if (options.groupFiles) {
    for (const [name, text] of groupFileTexts(groups)) writeFileSync(join(writeDir, 'conf.d', name), text);
  }

  const output = openSync(join(root, 'console.log'), 'a');
  const argv0 = options.argv0 ?? 'apache2';
  const container = containerOf(options);
  if (container?.socketDir) mkdirSync(container.socketDir, { recursive: true, mode: 0o755 });
  const [file, args] = container
    ? [
        'unshare',
        [
          '--mount',
          ...(container.network ? ['--net'] : []),
          // --kill-child: when unshare ends, so does Apache, pid 1 of the namespace, and with it everything in it.
          ...(container.pid ? ['--pid', '--fork', '--kill-child', '--mount-proc'] : []),
          '--',
          'bash',
          '-c',
          'mount -t tmpfs -o mode=0755 wsgictl-conf "$1" && cp -a "$2"/. "$1"/ && ' +
            '{ [ -z "$5" ] || mount -t tmpfs -o mode=0755 wsgictl-run "$5"; } && ' +
            'exec -a "$3" "$4" -f "$1/httpd.conf" -DFOREGROUND',
          'bash',
          configDir,
          writeDir,
          argv0,
          install.binary,
          container.socketDir ?? '',
        ],
      ]
    : [install.binary, ['-f', configFile, '-DFOREGROUND']];
  const child = spawn(file, args, {
    argv0: container ? 'unshare' : argv0,
    detached: true, // its own process group: a Ctrl-C meant for the caller must not reach Apache first
    stdio: ['ignore', output, output],
  });
  closeSync(output);
  registerExitHook();
  running.add(child);

  const apachePid = container?.pid ? await findForkedApache(child) : (child.pid ?? -1);
  const stop = async (): Promise<void> => {
    if (running.has(child)) {
      // unshare --fork ignores SIGTERM while it waits: stop Apache, pid 1 of the namespace, and it follows.
      if (apachePid !== child.pid && apachePid > 0) {
        try {
          process.kill(apachePid, 'SIGTERM');
        } catch {}
      } else child.kill('SIGTERM');
      if (!(await waitForExit(child, 15_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5000);
      }
      running.delete(child);
    }
    rmSync(root, { recursive: true, force: true });
  };

  const sandbox: Sandbox = {
    pid: apachePid,
    port,
    root,
    configFile,
    configDir: writeDir,
    errorLog,
    scriptFile,
    groups,
    url: (name, path = '') => `http://127.0.0.1:${port}/${name}${path}`,
    startedDaemons: () => {
      try {
        return parseStartedDaemons(readFileSync(errorLog, 'utf8'));
      } catch {
        return new Map();
      }
    },
    stop,
  };

  try {
    await waitUntilServing(sandbox, child, options.readyTimeoutMs ?? 20_000, !container?.network);
  } catch (error) {
    let log = '';
    try {
      log = readFileSync(errorLog, 'utf8').split('\n').slice(-8).join('\n');
    } catch {}
    await stop();
    throw new Error(`sandbox Apache did not start: ${(error as Error).message}\n${log}`, { cause: error });
  }
  return sandbox;
}

function containerOf(options: SandboxOptions): ContainerOptions | null {
  if (!options.namespaces) return null;
  return options.namespaces === true ? { network: true } : options.namespaces;
}

/** With a pid namespace, Apache is unshare's child: its pid as this machine sees it, once it has exec'd. */
async function findForkedApache(unshare: ChildProcess): Promise<number> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      const [pid] = readFileSync(`/proc/${unshare.pid}/task/${unshare.pid}/children`, 'utf8')
        .trim()
        .split(/\s+/);
      if (pid && /^(apache2|httpd)/.test(readFileSync(`/proc/${pid}/comm`, 'utf8'))) return Number(pid);
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return -1;
}

async function waitUntilServing(
  sandbox: Sandbox,
  child: ChildProcess,
  timeoutMs: number,
  reachable: boolean,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const running = sandbox.groups.filter((group) => group.runs);
  const expected = running.reduce((sum, group) => sum + group.processes, 0);
  // Outside its network namespace only the log tells that the daemons started.
  const pending = new Set(reachable ? running.map((group) => group.name) : []);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`apache exited (${child.exitCode ?? child.signalCode})`);
    for (const name of pending) {
      const reply = await httpGet(sandbox.url(name), 2000).catch(() => null);
      if (reply?.status === 200 && reply.body.startsWith(`${name} `)) pending.delete(name);
    }
    if (pending.size === 0 && sandbox.startedDaemons().size >= expected) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(
    `not serving within ${timeoutMs} ms (waiting for ${[...pending].join(', ') || 'daemons to start'})`,
  );
}
