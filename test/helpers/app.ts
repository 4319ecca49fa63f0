import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { httpGet } from '../../src/http.js';
import type { Sandbox } from '../../src/sandbox/types.js';
import { waitFor } from './apache.js';

/** A WSGI app that imports a module of its own, like any real project: a save can break the import. */
export interface ImportingApp {
  dir: string;
  script: string;
  module: string;
  /** Apache directives that mount it at `/shop` in `group` (and let Apache serve the folder). */
  mount(group: string): string;
  /** Saves the module with a SyntaxError, as a half-finished edit would. */
  breakModule(): void;
  /** Saves the module so that importing it kills the process (a segfault, as a broken C extension would). */
  crashModule(): void;
  /** Saves the module so that importing it takes `seconds` (a big project's start-up), then works. */
  slowModule(seconds: number): void;
  fixModule(): void;
}

const GOOD = 'def hello():\n    return "hello from appmod"\n';
const BROKEN = 'def hello(:\n    return "hello from appmod"\n';
const CRASHING = 'import ctypes\nctypes.string_at(0)\n';

/**
 * Writes the app in a folder only root may write to: the daemons (www-data) cannot leave a __pycache__ there,
 * so every reload compiles what is on disk now. Removed after the test.
 */
export function createImportingApp(t: TestContext): ImportingApp {
  const dir = mkdtempSync(join(tmpdir(), 'wsgictl-app-'));
  chmodSync(dir, 0o755);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const script = join(dir, 'shop.wsgi');
  const module = join(dir, 'appmod.py');
  writeFileSync(module, GOOD, { mode: 0o644 });
  writeFileSync(
    script,
    [
      'import sys',
      `sys.path.insert(0, ${JSON.stringify(dir)})`,
      'import appmod',
      '',
      'def application(environ, start_response):',
      '    body = appmod.hello().encode()',
      "    start_response('200 OK', [('Content-Type', 'text/plain')])",
      '    return [body]',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  return {
    dir,
    script,
    module,
    // application-group=%{GLOBAL} with process-group= makes mod_wsgi preload the script when a daemon starts,
    // as Django deployments are told to do: the import error is in the log before the first request.
    mount: (group) =>
      [
        `WSGIScriptAlias /shop ${script} process-group=${group} application-group=%{GLOBAL}`,
        `<Directory ${dir}>`,
        '  Require all granted',
        '</Directory>',
      ].join('\n'),
    breakModule: () => writeFileSync(module, BROKEN),
    crashModule: () => writeFileSync(module, CRASHING),
    slowModule: (seconds) => writeFileSync(module, `import time\ntime.sleep(${seconds})\n${GOOD}`),
    fixModule: () => writeFileSync(module, GOOD),
  };
}

/**
 * Resolves once each of the group's `count` daemons has answered a request. A daemon accepts requests only
 * after mod_wsgi has preloaded its scripts, so then no daemon is still importing the app: a save made after
 * this cannot reach a daemon of the current set. Requests go in parallel and sleep a little, so that they
 * spread over the daemons' threads.
 */
export async function waitForEveryDaemon(sandbox: Sandbox, group: string, count: number): Promise<void> {
  const answered = new Set<string>();
  await waitFor(
    `every daemon of ${group} to answer`,
    async () => {
      const replies = await Promise.all(
        Array.from({ length: count * 2 }, () =>
          httpGet(sandbox.url(group, '?sleep=150'), 5000).catch(() => null),
        ),
      );
      for (const reply of replies) if (reply?.status === 200) answered.add(reply.body.trim());
      return answered.size >= count;
    },
    20_000,
  );
}
