import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
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
import { EXPRESS_HINT, findApache, SANDBOX_PACKAGES, sandboxWsgiVersion } from './install.js';
import { assertPortFree } from './port.js';
import type { ContainerOptions, Sandbox, SandboxGroupSpec, SandboxOptions } from './types.js';

// startSandbox's types, for the callers that import it from here (the demo command, tests, bench).

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

/**
 * pid -> group from the line each daemon writes as it starts: `mod_wsgi (pid=N): Starting process 'G' ...`
 * (4.x, 5.x), `[pid N:tid N] Starting daemon process 'G' ...` (6.x, which dropped the prefix).
 */
export function parseStartedDaemons(log: string): Map<number, string> {
  const started = new Map<number, string>();
  for (const match of log.matchAll(/mod_wsgi \(pid=(\d+)\): Starting process '([^']+)'/g)) {
    started.set(Number(match[1]), match[2] as string);
  }
  for (const match of log.matchAll(/\[pid (\d+)(?::tid \d+)?\] Starting daemon process '([^']+)'/g)) {
    started.set(Number(match[1]), match[2] as string);
  }
  return started;
}

/** True once `child` has exited, false if it still runs after `timeoutMs`. */
export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
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
  const install = options.install ?? findApache();
  if (!install) {
    throw new WsgictlError(
      'NOT_SUPPORTED',
      `Apache with mod_wsgi is not installed: apt-get install ${SANDBOX_PACKAGES}, ${EXPRESS_HINT}`,
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
  const container = containerOf(options);
  // In namespaces of its own, Apache reads a copy in conf/ that a tmpfs hides from every other mount
  // namespace; on a simulated host (`enter`) it reads its files where they are, like any host's Apache.
  const copied = container !== null && container.enter === undefined;
  const configDir = copied ? join(root, 'conf') : root;
  const writeDir = copied ? join(root, 'staging') : root;
  const configFile = join(configDir, 'httpd.conf');
  const scriptFile = join(root, 'app.wsgi');
  const errorLog = join(root, 'error.log');
  writeFileSync(scriptFile, APP, { mode: 0o644 });
  mkdirSync(join(writeDir, 'conf.d'), { recursive: true, mode: 0o755 });
  if (copied) mkdirSync(configDir, { mode: 0o755 });
  writeFileSync(join(writeDir, 'httpd.conf'), renderConfig(root, configDir, port, install, groups, options), {
    mode: 0o644,
  });
  if (options.groupFiles) {
    for (const [name, text] of groupFileTexts(groups)) writeFileSync(join(writeDir, 'conf.d', name), text);
  }

  const output = openSync(join(root, 'console.log'), 'a');
  const argv0 = options.argv0 ?? 'apache2';
  if (container?.socketDir) mkdirSync(container.socketDir, { recursive: true, mode: 0o755 });
  const [file, args] = launchCommand(container, install.binary, argv0, configDir, writeDir, configFile);
  const child = spawn(file, args, {
    argv0: container ? undefined : argv0,
    detached: true, // its own process group: a Ctrl-C meant for the caller must not reach Apache first
    stdio: ['ignore', output, output],
  });
  closeSync(output);
  registerExitHook();
  running.add(child);

  const apachePid =
    container?.pid || container?.enter
      ? await waitForChild(child.pid ?? -1, /^(apache2|httpd)/)
      : (child.pid ?? -1);
  const stop = async (): Promise<void> => {
    if (running.has(child)) {
      // unshare --fork ignores SIGTERM while it waits, and nsenter only waits: stop Apache, and they follow.
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
    wsgiVersion: sandboxWsgiVersion(install),
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
    await waitUntilServing(
      sandbox,
      child,
      options.readyTimeoutMs ?? 20_000,
      !container?.network,
      options.signal,
    );
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

/** The program and arguments that start Apache: itself, or inside namespaces made or entered for it. */
function launchCommand(
  container: ContainerOptions | null,
  binary: string,
  argv0: string,
  configDir: string,
  writeDir: string,
  configFile: string,
): [string, string[]] {
  if (!container) return [binary, ['-f', configFile, '-DFOREGROUND']];
  if (container.enter !== undefined) {
    // nsenter forks into the pid namespace; Apache is its child there, with the host's /proc and mounts.
    const enter = ['--target', String(container.enter), '--pid', '--mount', '--'];
    return [
      'nsenter',
      [...enter, 'bash', '-c', 'exec -a "$1" "$2" -f "$3" -DFOREGROUND', 'bash', argv0, binary, configFile],
    ];
  }
  return [
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
      binary,
      container.socketDir ?? '',
    ],
  ];
}

function containerOf(options: SandboxOptions): ContainerOptions | null {
  if (!options.namespaces) return null;
  return options.namespaces === true ? { network: true } : options.namespaces;
}

/**
 * The pid of `parent`'s child once it runs a program whose name (comm) matches `name`, as this machine
 * sees it; -1 if none does within the time. With a pid namespace, Apache is unshare's (or nsenter's) child.
 */
export async function waitForChild(parent: number, name: RegExp, timeoutMs = 10_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const [pid] = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim().split(/\s+/);
      if (pid && name.test(readFileSync(`/proc/${pid}/comm`, 'utf8').trim())) return Number(pid);
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
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const running = sandbox.groups.filter((group) => group.runs);
  const expected = running.reduce((sum, group) => sum + group.processes, 0);
  // Outside its network namespace only the log tells that the daemons started.
  const pending = new Set(reachable ? running.map((group) => group.name) : []);
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new Error('stopped while starting');
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
