import { type ChildProcess, spawn } from 'node:child_process';
import treeKill from 'tree-kill';
import type { Shell } from './shell.js';

/** How long the command tree gets between SIGTERM and SIGKILL. */
export const STOP_TIMEOUT_MS = 5000;
const EXIT_POLL_MS = 20;

export interface Supervisor {
  /** Starts the command; returns its pid. */
  start: () => number | null;
  /** Stops the running tree (if any), then starts the command again. */
  restart: () => Promise<{ oldPid: number | null; newPid: number | null }>;
  /** Stops the tree; nothing is started again. */
  stop: () => Promise<void>;
}

export interface SupervisorOptions {
  command: string;
  /** Where the command's stdout goes: our stdout, or stderr when stdout carries JSON lines. */
  stdout: 'inherit' | 'stderr';
  stopTimeoutMs?: number;
  /** The command exited on its own (it is started again on the next change). */
  onExit: (pid: number, code: number | null, signal: NodeJS.Signals | null) => void;
  /** The platform's shell, handed in by the caller (Platform.shell): the supervisor never asks `process`. */
  shell: Shell;
  /** The environment the command runs with (default: ours). */
  env?: NodeJS.ProcessEnv;
}

function killTree(pid: number, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => treeKill(pid, signal, () => resolve()));
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is empty already
  }
}

/** Runs one command at a time and restarts it: SIGTERM to its whole tree, SIGKILL after a timeout. */
export function createSupervisor(options: SupervisorOptions): Supervisor {
  const stopTimeoutMs = options.stopTimeoutMs ?? STOP_TIMEOUT_MS;
  const useGroup = options.shell.processGroup;
  let child: ChildProcess | undefined;
  let stopped = false;

  const isRunning = (proc: ChildProcess): boolean => proc.exitCode === null && proc.signalCode === null;
  const isGone = (proc: ChildProcess): boolean =>
    !isRunning(proc) && (!useGroup || proc.pid === undefined || !groupAlive(proc.pid));

  const waitGone = async (proc: ChildProcess, ms: number): Promise<boolean> => {
    const deadline = Date.now() + ms;
    while (!isGone(proc)) {
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, EXIT_POLL_MS));
    }
    return true;
  };

  const stopTree = async (proc: ChildProcess): Promise<void> => {
    const pid = proc.pid;
    if (pid === undefined) return;
    // tree-kill only while our child is alive: once it is reaped its pid may belong to someone else.
    if (isRunning(proc)) await killTree(pid, 'SIGTERM');
    if (useGroup) signalGroup(pid, 'SIGTERM');
    if (await waitGone(proc, stopTimeoutMs)) return;
    if (isRunning(proc)) await killTree(pid, 'SIGKILL');
    if (useGroup) signalGroup(pid, 'SIGKILL');
    await waitGone(proc, stopTimeoutMs);
  };

  const start = (): number | null => {
    const {
      file,
      args,
      options: spawnOptions,
    } = options.shell.command(options.command, options.env ?? process.env);
    const proc = spawn(file, args, {
      ...spawnOptions,
      stdio: ['ignore', options.stdout === 'stderr' ? process.stderr : 'inherit', 'inherit'],
    });
    proc.on('error', () => {}); // a missing shell shows as an exit with no pid
    proc.on('exit', (code, signal) => {
      if (child === proc && !stopped) options.onExit(proc.pid ?? -1, code, signal);
    });
    child = proc;
    return proc.pid ?? null;
  };

  return {
    start,
    async restart() {
      const old = child;
      child = undefined;
      if (old) await stopTree(old);
      if (stopped) return { oldPid: old?.pid ?? null, newPid: null };
      return { oldPid: old?.pid ?? null, newPid: start() };
    },
    async stop() {
      stopped = true;
      const old = child;
      child = undefined;
      if (old) await stopTree(old);
    },
  };
}
