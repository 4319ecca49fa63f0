import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WsgictlError } from '../../src/errors.js';
import type { PoolResult } from '../../src/fleet/pool.js';
import { exitCodeOfRun, runOnHosts } from '../../src/fleet/run.js';
import type { SshRunner } from '../../src/fleet/ssh.js';

const fleet = { hosts: ['web1', 'web2'], ssh: { options: [], remoteCommand: 'wsgictl' } };

test('what the host would refuse is a usage error before any host is reached', async () => {
  const reached: string[][] = [];
  const ssh: SshRunner = async (args) => {
    reached.push(args);
    return { exitCode: 0, signal: null, stdout: '', stderr: '' };
  };
  assert.throws(
    () =>
      runOnHosts(
        fleet,
        ['reload', 'django', '--touch=/x'],
        { ssh, warn: () => {} },
        { parallel: 1, stopOnFailure: true, detached: false },
        () => {},
      ),
    (error: unknown) =>
      error instanceof WsgictlError &&
      error.exitCode === 2 &&
      /^--touch cannot be used with --host/.test(error.message),
  );
  assert.deepEqual(reached, []);
});

test('each host gets the envelope call; a host on another version is warned of', async () => {
  const lines: string[] = [];
  const warnings: string[] = [];
  const ssh: SshRunner = async (args) => {
    lines.push(args.at(-1) ?? '');
    const envelope = { wsgictl: '0.1.9', exitCode: 0, stdout: '[]', stderr: '' };
    return { exitCode: 0, signal: null, stdout: `${JSON.stringify(envelope)}\n`, stderr: '' };
  };
  const result = await runOnHosts(
    fleet,
    ['ps', '--json'],
    { ssh, warn: (message) => warnings.push(message) },
    { parallel: 2, stopOnFailure: false, detached: false },
    () => {},
  );
  assert.deepEqual(lines, ['wsgictl --envelope ps --json', 'wsgictl --envelope ps --json']);
  assert.deepEqual(
    result.runs.map((run) => run.state),
    ['done', 'done'],
  );
  assert.equal(warnings.length, 2);
  assert.match(warnings[0] ?? '', /0\.1\.9/);
});

test('the exit code of a run: the worst host, or 130 when Ctrl-C left hosts unstarted', () => {
  const run = (exitCode: number) => ({
    host: 'h',
    state: 'done' as const,
    ms: 0,
    outcome: { host: 'h', exitCode },
  });
  const result = (codes: number[], interrupted = false): PoolResult => ({
    runs: codes.map(run),
    interrupted,
  });
  assert.equal(exitCodeOfRun(result([0, 0])), 0);
  assert.equal(exitCodeOfRun(result([0, 6])), 6);
  assert.equal(exitCodeOfRun(result([0], true)), 130);
});
