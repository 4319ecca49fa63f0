import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { PLAIN } from '../../src/cli/color.js';
import type { CliContext } from '../../src/cli/context.js';
import { createPlatform } from '../../src/platform.js';

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
    platform: createPlatform('linux'),
    cwd: tmpdir(),
    now: () => 0,
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env: {},
    color: PLAIN,
    errColor: PLAIN,
    source: () => assert.fail('this test reads no process'),
    reloader: () => assert.fail('this test reloads nothing'),
    services: async () => undefined,
    setExitCode: () => {},
    stopSignal: () => new Promise(() => {}),
    ...given,
  };
  return { context, out, err };
}
