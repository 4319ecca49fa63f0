import { spawn } from 'node:child_process';
import { readOptions } from '../apache/config/model.js';

/** The options of a running Apache that decide what it reads: the config test gets exactly these. */
const KEPT_OPTIONS = new Set(['f', 'd', 'C', 'c', 'D']);

/** How long `httpd -t` may take: it reads the configuration only, which takes well under a second. */
export const CONFIG_TEST_TIMEOUT_MS = 15_000;
/** What is kept of its output: Apache's message is a few lines; a flood is cut. */
export const CONFIG_TEST_MAX_BYTES = 64 * 1024;
/** After it exits, how long its output may still take to arrive (a process it left may hold the pipe). */
const OUTPUT_DRAIN_MS = 250;

/**
 * The arguments of `httpd -t` for an instance started with `argv`: its -f, -d, -C, -c and -D, in their
 * order, each as one option with its value; everything else (`-k start`, `-E FILE`, `-X`) is left out.
 */
export function configTestArgs(argv: string[]): string[] {
  const args: string[] = [];
  readOptions(argv, (letter, value) => {
    if (value !== null && KEPT_OPTIONS.has(letter)) args.push(`-${letter}`, value);
  });
  return [...args, '-t'];
}

export interface ConfigTestResult {
  ok: boolean;
  /** What Apache printed (stderr then stdout), cut to CONFIG_TEST_MAX_BYTES; raw, for the caller to neutralise. */
  output: string;
  /** Why the test itself did not run to an end (a timeout, a failure to start), when it did not. */
  failure?: string;
  ms: number;
}

export interface ConfigTestRun {
  binary: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Where it runs: the parent's own working directory, against which a relative `-d` was read. */
  cwd?: string;
  timeoutMs?: number;
  maxBytes?: number;
}

/**
 * Runs `binary ARGS` (the instance's own binary, already judged safe to run), bounded in time (SIGKILL at
 * the timeout) and in output (the rest is dropped, the process killed), and reports how it ended.
 */
export function runConfigTest(run: ConfigTestRun): Promise<ConfigTestResult> {
  const timeoutMs = run.timeoutMs ?? CONFIG_TEST_TIMEOUT_MS;
  const maxBytes = run.maxBytes ?? CONFIG_TEST_MAX_BYTES;
  const started = Date.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let failure: string | undefined;
    let ended: { ok: boolean; reason?: string } | undefined;
    // Its own process group, so that whatever it started goes down with it.
    const child = spawn(run.binary, run.args, {
      env: run.env,
      cwd: run.cwd ?? '/',
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    // Only while it has not been reaped: after that its pid (and group id) may be another's.
    const killAll = () => {
      if (ended !== undefined) return;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {}
    };
    const keep = (chunk: Buffer) => {
      if (kept >= maxBytes) return;
      const piece = chunk.subarray(0, maxBytes - kept);
      chunks.push(piece);
      kept += piece.length;
      if (kept >= maxBytes) {
        failure = `its output passed ${maxBytes} bytes; the rest was dropped`;
        killAll();
      }
    };
    child.stderr.on('data', keep);
    child.stdout.on('data', keep);
    const finish = () => {
      clearTimeout(timer);
      clearTimeout(drain);
      child.stdout.destroy();
      child.stderr.destroy();
      const why = failure ?? ended?.reason;
      resolve({
        ok: (ended?.ok ?? false) && why === undefined,
        output: Buffer.concat(chunks).toString('utf8'),
        ...(why === undefined ? {} : { failure: why }),
        ms: Date.now() - started,
      });
    };
    let drain: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      failure = `it did not end within ${timeoutMs} ms`;
      killAll();
      // A grandchild that escaped the group may hold the pipes: the answer does not wait for it.
      drain = setTimeout(finish, OUTPUT_DRAIN_MS);
    }, timeoutMs);
    child.once('error', (error) => {
      ended = { ok: false, reason: `it could not be started (${error.message})` };
      finish();
    });
    child.once('exit', (code, signal) => {
      ended = {
        ok: code === 0,
        ...(signal && failure === undefined ? { reason: `it was ended by ${signal}` } : {}),
      };
      drain = setTimeout(finish, OUTPUT_DRAIN_MS);
    });
    child.once('close', finish);
  });
}

/**
 * Variables of the parent's environment the config test leaves out: they would make the dynamic loader load
 * other code into a program run as root. The parent was started with them, but `-t` needs none.
 */
const LOADER_VARIABLE = /^(LD_|DYLD_)/;

/** The parent's environment (Debian's apache2.conf reads APACHE_RUN_USER and the like from it), minus LD_*. */
export function configTestEnv(parentEnv: NodeJS.ProcessEnv | null): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(parentEnv ?? {})) {
    if (!LOADER_VARIABLE.test(name)) env[name] = value;
  }
  return env;
}
