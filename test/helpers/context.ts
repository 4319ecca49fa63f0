import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { PLAIN } from '../../src/cli/color.js';
import type { CliContext } from '../../src/cli/context.js';
import { createPlatform, type Platform } from '../../src/platform.js';
import type { ProcessSource } from '../../src/processes/types.js';
import type { Reloader } from '../../src/reload/reloader.js';

/** A process table whose every read fails the test with `why`. */
export function failingSource(why = 'this test reads no process'): ProcessSource {
  const fail = async (): Promise<never> => assert.fail(why);
  return {
    platform: 'linux',
    list: fail,
    ancestors: fail,
    read: fail,
    socketInodes: fail,
    environment: fail,
    unixSocketPaths: fail,
    fileRoot: fail,
    executable: fail,
  };
}

/** A reloader that fails the test with `why` when asked to reload. */
export function failingReloader(why = 'this test reloads nothing'): Reloader {
  return { platform: 'unix', reload: async () => assert.fail(why) };
}

/**
 * Linux's platform (its Apache layout and shell) whose process table and reloader fail the test when used
 * and which has no services; `given` replaces any of them.
 */
export function testPlatform(given: Partial<Platform> = {}): Platform {
  return {
    ...createPlatform('linux'),
    source: failingSource(),
    reloader: failingReloader(),
    services: async () => undefined,
    ...given,
  };
}

/**
 * A CLI context for main() whose output is kept for the test and whose outside world is what the test
 * hands in: by default it reads no process, reloads nothing and is never asked to stop. main() returns the
 * exit code, so setExitCode does nothing here.
 */
export function recordingContext(given: Partial<CliContext> = {}): {
  context: CliContext;
  out: string[];
  err: string[];
} {
  const out: string[] = [];
  const err: string[] = [];
  const context: CliContext = {
    platform: testPlatform(),
    cwd: tmpdir(),
    now: () => 0,
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env: {},
    color: PLAIN,
    errColor: PLAIN,
    setExitCode: () => {},
    stopSignal: () => new Promise(() => {}),
    ...given,
  };
  return { context, out, err };
}
