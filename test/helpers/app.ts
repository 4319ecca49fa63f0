import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

/** A WSGI app that imports a module of its own, like any real project: a save can break the import. */
export interface ImportingApp {
  dir: string;
  script: string;
  module: string;
  /** Apache directives that mount it at `/shop` in `group` (and let Apache serve the folder). */
  mount(group: string): string;
  /** Saves the module with a SyntaxError, as a half-finished edit would. */
  breakModule(): void;
  fixModule(): void;
}

const GOOD = 'def hello():\n    return "hello from appmod"\n';
const BROKEN = 'def hello(:\n    return "hello from appmod"\n';

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
    fixModule: () => writeFileSync(module, GOOD),
  };
}
