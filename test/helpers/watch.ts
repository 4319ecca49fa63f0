import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { WatchEvent } from '../../src/watch/loop.js';
import { waitFor } from './apache.js';
import { REPO } from './cli.js';

export interface Watching {
  child: ChildProcess;
  /** Every event printed so far, in order. */
  events: WatchEvent[];
  stderr: () => string;
  exited: Promise<number | null>;
  reloads: () => Extract<WatchEvent, { event: 'reload' }>[];
  checks: () => Extract<WatchEvent, { event: 'check' }>[];
}

/**
 * Spawns `wsgictl watch --json ARGS`, collects its events as they come and resolves once it printed
 * "ready"; the test's end kills it if it still runs.
 */
export async function startWatch(t: TestContext, args: string[]): Promise<Watching> {
  const child = spawn(process.execPath, [join(REPO, 'bin/wsgictl.js'), 'watch', '--json', ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: WatchEvent[] = [];
  let stderr = '';
  let buffer = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) if (line) events.push(JSON.parse(line) as WatchEvent);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  await waitFor(
    'the ready line',
    () => events.some((e) => e.event === 'ready') || child.exitCode !== null,
    20_000,
  );
  assert.ok(
    events.some((e) => e.event === 'ready'),
    stderr,
  );
  return {
    child,
    events,
    stderr: () => stderr,
    exited,
    reloads: () => events.filter((e): e is Extract<WatchEvent, { event: 'reload' }> => e.event === 'reload'),
    checks: () => events.filter((e): e is Extract<WatchEvent, { event: 'check' }> => e.event === 'check'),
  };
}
