import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { REPO } from './cli.js';

/** The PATH a server without Node has; every `node` on it is hidden in the namespace. */
export const BARE_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Builds the standalone executables of `targets` with `scripts/standalone/build.mjs` (which `npm run dist`
 * runs) and returns their paths. The script caches every step under .cache/dist by its inputs, so only
 * the first call of a CI run downloads and injects; later calls copy.
 */
export function buildStandalone(...targets: string[]): string[] {
  const result = spawnSync(
    process.execPath,
    ['scripts/standalone/build.mjs', ...targets.flatMap((target) => ['--target', target])],
    { cwd: REPO, encoding: 'utf8', timeout: 600_000, maxBuffer: 1024 * 1024 },
  );
  if (result.status !== 0) {
    throw new Error(
      `scripts/standalone/build.mjs failed (${result.status ?? result.signal}): ${result.stderr}`,
    );
  }
  return result.stdout.trim().split('\n');
}

/** Every node binary this machine has on PATH or runs the tests with, by its real path. */
export function nodeBinaries(): string[] {
  const onPath = (process.env.PATH ?? '')
    .split(delimiter)
    .concat(BARE_PATH.split(':'))
    .map((dir) => join(dir, 'node'))
    .filter((file) => existsSync(file));
  return [...new Set([process.execPath, ...onPath].map((file) => realpathSync(file)))];
}

const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

export interface HiddenRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * Runs `file ARGS` in a mount namespace of its own (unshare -m, private propagation) in which /dev/null is
 * bind-mounted over every node binary, with PATH=BARE_PATH and nothing else of this environment: a server
 * without Node, as far as the program can tell. unshare and sh exec, so the child's pid is the program's.
 */
export function runWithoutNode(file: string, args: string[], timeoutMs = 60_000): HiddenRun {
  const mounts = nodeBinaries().map((node) => `/usr/bin/mount --bind /dev/null ${quote(node)}`);
  const script = ['set -e', ...mounts, 'exec "$@"'].join('\n');
  const child = spawn(
    '/usr/bin/unshare',
    ['--mount', '--propagation', 'private', '/bin/sh', '-c', script, 'sh', file, ...args],
    {
      env: { PATH: BARE_PATH, NO_COLOR: '1', HOME: '/root', LANG: 'C' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}
