import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PsRecord } from '../../src/groups/records.js';

/** The repository root (tests run from dist/test/helpers). */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const RUNTIME_PACKAGES = ['commander', 'chalk', 'ps-list', 'tree-kill', '@parcel'];

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Run as this uid/gid (needs root). */
  uid?: number;
  gid?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
}

let installed: string | undefined;

/**
 * A copy of the built CLI that any user can read, for runs as `nobody`: the checkout itself may sit below
 * a folder that only its owner can enter.
 */
export function worldReadableInstall(): string {
  if (installed && existsSync(installed)) return installed;
  const root = mkdtempSync(join(tmpdir(), 'wsgictl-cli-'));
  chmodSync(root, 0o755);
  cpSync(join(REPO, 'bin'), join(root, 'bin'), { recursive: true });
  cpSync(join(REPO, 'dist/wsgictl.cjs'), join(root, 'dist/wsgictl.cjs'));
  cpSync(join(REPO, 'package.json'), join(root, 'package.json'));
  for (const name of RUNTIME_PACKAGES) {
    cpSync(join(REPO, 'node_modules', name), join(root, 'node_modules', name), {
      recursive: true,
      dereference: true,
    });
  }
  process.once('exit', () => rmSync(root, { recursive: true, force: true }));
  installed = root;
  return root;
}

export interface RunningCli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Everything it printed and how it ended. */
  done: Promise<CliResult>;
}

/** Starts `wsgictl ARGS` and collects its output as it comes, for a test that acts while it runs. */
export function startCli(args: string[], options: RunOptions = {}): RunningCli {
  const root = options.uid === undefined ? REPO : worldReadableInstall();
  const child = spawn(process.execPath, [join(root, 'bin/wsgictl.js'), ...args], {
    cwd: options.cwd ?? tmpdir(),
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    uid: options.uid,
    gid: options.gid,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const done = new Promise<CliResult>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr });
    });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

/** Presses Ctrl-C (one SIGINT) once the output matches `pattern`, and resolves as the command ends. */
export function interruptWhen(running: RunningCli, pattern: RegExp): Promise<CliResult> {
  const watch = () => {
    if (!pattern.test(running.stdout())) return;
    running.child.stdout?.off('data', watch);
    running.child.kill('SIGINT');
  };
  running.child.stdout?.on('data', watch); // after startCli's own listener: stdout() holds the chunk
  return running.done;
}

/** Runs `wsgictl ARGS` to its end and collects what a user would see. */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return startCli(args, options).done;
}

export const NOBODY = { uid: 65534, gid: 65534 };

/** `wsgictl ps --json --instance PID`, which must succeed, as records. */
export async function psJson(instancePid: number, options: RunOptions = {}): Promise<PsRecord[]> {
  const result = await runCli(['ps', '--json', '--instance', String(instancePid)], options);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as PsRecord[];
}
