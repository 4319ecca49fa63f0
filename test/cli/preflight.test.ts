import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type { PreflightReport } from '../../src/preflight/types.js';
import type { GroupReloadResult } from '../../src/reload/types.js';
import { apacheSkipReason, useSandbox, waitFor } from '../helpers/apache.js';
import { waitForEveryDaemon } from '../helpers/app.js';
import { psJson, runCli } from '../helpers/cli.js';
import { startWatch } from '../helpers/watch.js';

const skip = apacheSkipReason();

const SCRIPT = [
  'def application(environ, start_response):',
  "    start_response('200 OK', [('Content-Type', 'text/plain')])",
  "    return [b'shop']",
  '',
].join('\n');
const GOOD = 'def helper():\n    return 1\n';
// Line 2 is where the compiler stops: an unclosed parenthesis, as a half-finished edit leaves it.
const BROKEN = 'def helper():\n    return max(1,\n\ndef other():\n    pass\n';

/**
 * An app whose WSGI script imports nothing, and a library folder on the group's python-path= with a module
 * no request imports yet: only a pre-flight can see that it does not compile. Both in folders only root may
 * write, so the daemons leave no __pycache__ there.
 */
function createApp(t: TestContext) {
  const root = mkdtempSync(join(tmpdir(), 'wsgictl-preflight-'));
  chmodSync(root, 0o755);
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const app = join(root, 'app');
  const lib = join(root, 'lib');
  mkdirSync(app, { mode: 0o755 });
  mkdirSync(join(lib, 'pkg'), { recursive: true, mode: 0o755 });
  const script = join(app, 'shop.wsgi');
  writeFileSync(script, SCRIPT, { mode: 0o644 });
  const module = join(lib, 'pkg', 'helpers.py');
  writeFileSync(module, GOOD, { mode: 0o644 });
  const mount = [
    `WSGIScriptAlias /shop ${script} process-group=django application-group=%{GLOBAL}`,
    `<Directory ${app}>`,
    '  Require all granted',
    '</Directory>',
  ].join('\n');
  return { lib, module, script, mount };
}

async function djangoPids(instance: number): Promise<number[]> {
  const records = await psJson(instance);
  return records
    .filter((record) => record.role === 'daemon' && record.group === 'django')
    .map((record) => record.pid)
    .sort((a, b) => a - b);
}

describe('reload with its pre-flight against a real Apache', { skip, timeout: 120_000 }, () => {
  it('a module on python-path that does not compile: exit 1, nothing signalled, file:line; fixed: exit 0; --no-preflight signals', async (t) => {
    const app = createApp(t);
    const sandbox = await useSandbox(t, {
      groups: [{ name: 'django', processes: 2, options: `python-path=${app.lib}` }],
      extraConfig: app.mount,
    });
    const instance = ['--instance', String(sandbox.pid)];
    await waitForEveryDaemon(sandbox, 'django', 2);
    const before = await djangoPids(sandbox.pid);
    assert.equal(before.length, 2);

    writeFileSync(app.module, BROKEN);
    const refused = await runCli(['reload', 'django', ...instance]);
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(
      refused.stdout,
      new RegExp(`${app.module}:2: SyntaxError: .*never closed\n {8}return max\\(1,\n {18}\\^`),
    );
    assert.match(refused.stdout, /pre-flight failed, 1 of 3 files do not compile .*nothing was signalled/);
    assert.match(
      refused.stderr,
      /"django" does not compile: .*helpers\.py:2: SyntaxError.*nothing was signalled/,
    );
    assert.deepEqual(await djangoPids(sandbox.pid), before, 'no daemon was replaced');

    const json = await runCli(['reload', 'django', '--json', ...instance]);
    assert.equal(json.code, 1);
    const document = JSON.parse(json.stdout) as { preflight: string; groups: PreflightReport[] };
    assert.equal(document.preflight, 'failed');
    const [report] = document.groups;
    assert.deepEqual(
      report?.failures.map((failure) => [failure.path, failure.type, failure.line]),
      [[app.module, 'SyntaxError', 2]],
    );
    assert.deepEqual(report?.files.sort(), [app.module, app.script, sandbox.scriptFile].sort());
    assert.deepEqual(await djangoPids(sandbox.pid), before, 'no daemon was replaced by --json either');

    writeFileSync(app.module, GOOD);
    const fixed = await runCli(['reload', 'django', '--json', ...instance]);
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
    const [result] = JSON.parse(fixed.stdout) as GroupReloadResult[];
    assert.equal(result?.outcome, 'replaced');
    assert.equal(result?.preflight?.status, 'passed');
    assert.deepEqual(result?.preflight?.files.sort(), [app.module, app.script, sandbox.scriptFile].sort());
    assert.match(result?.preflight?.python?.path ?? '', /^\/usr\/bin\/python3\.\d+$/);
    t.diagnostic(`pre-flight took ${result?.preflight?.ms} ms of a reload of ${result?.ms} ms`);
    const afterFix = await djangoPids(sandbox.pid);
    assert.equal(afterFix.filter((pid) => before.includes(pid)).length, 0, 'both daemons were replaced');

    // The new daemons started after the fix: a human reload compiles the two scripts (and the fix too when
    // it was saved within the 1 s slack on their start time), and says so on stderr.
    const quiet = await runCli(['reload', 'django', ...instance]);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.match(
      quiet.stderr,
      /django: pre-flight: [23] files compiled with \/usr\/bin\/python3\.\d+ \(3\.\d+\.\d+\) in /,
    );

    writeFileSync(app.module, BROKEN);
    const current = await djangoPids(sandbox.pid);
    const forced = await runCli(['reload', 'django', '--no-preflight', ...instance]);
    assert.equal(forced.code, 0, forced.stdout + forced.stderr);
    assert.doesNotMatch(forced.stderr, /pre-flight/);
    const afterForced = await djangoPids(sandbox.pid);
    assert.equal(afterForced.filter((pid) => current.includes(pid)).length, 0, '--no-preflight signalled');
  });

  it('--preflight import: a module that compiles but raises when the script imports it: exit 1 with its traceback, nothing signalled; fixed: reloaded', async (t) => {
    const app = createApp(t);
    // This script imports the library module: a RuntimeError there compiles, and only an import finds it.
    writeFileSync(app.script, `import pkg.helpers\n${SCRIPT}`);
    writeFileSync(join(app.lib, 'pkg', '__init__.py'), '', { mode: 0o644 });
    const sandbox = await useSandbox(t, {
      groups: [{ name: 'django', processes: 2, options: `python-path=${app.lib}` }],
      extraConfig: app.mount,
    });
    const instance = ['--instance', String(sandbox.pid)];
    await waitForEveryDaemon(sandbox, 'django', 2);
    const before = await djangoPids(sandbox.pid);

    writeFileSync(app.module, 'def helper():\n    return 1\n\nraise RuntimeError("no database at import")\n');
    const compiled = await runCli(['reload', 'django', '--dry-run', ...instance]);
    assert.equal(compiled.code, 0, `compiling alone lets it through: ${compiled.stderr}`);
    const refused = await runCli(['reload', 'django', '--preflight', 'import', ...instance]);
    assert.equal(refused.code, 1, refused.stdout + refused.stderr);
    assert.match(
      refused.stdout,
      /pre-flight failed, 1 of 2 WSGI scripts raise when imported .*nothing was signalled/,
    );
    assert.match(refused.stdout, new RegExp(`File "${app.module}", line 4, in <module>`));
    assert.match(refused.stdout, /RuntimeError: no database at import/);
    assert.match(
      refused.stderr,
      /"django" raises at import: .*shop\.wsgi:1: RuntimeError: no database at import; nothing was signalled/,
    );
    assert.deepEqual(await djangoPids(sandbox.pid), before, 'no daemon was replaced');

    writeFileSync(app.module, GOOD);
    const fixed = await runCli(['reload', 'django', '--preflight', 'import', '--json', ...instance]);
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
    const [result] = JSON.parse(fixed.stdout) as GroupReloadResult[];
    assert.deepEqual(
      [result?.outcome, result?.preflight?.status, result?.preflight?.imported?.sort()],
      ['replaced', 'passed', [app.script, sandbox.scriptFile].sort()],
    );
    t.diagnostic(`pre-flight with import took ${result?.preflight?.ms} ms`);
  });

  it('watch --group: a save that does not compile reloads nothing and says where; the next good save reloads', async (t) => {
    const app = createApp(t);
    const sandbox = await useSandbox(t, {
      groups: [{ name: 'django', processes: 1, options: `python-path=${app.lib}` }],
      extraConfig: app.mount,
    });
    await waitForEveryDaemon(sandbox, 'django', 1);
    const before = await djangoPids(sandbox.pid);
    const watching = await startWatch(t, [app.lib, '--group', 'django', '--instance', String(sandbox.pid)]);
    writeFileSync(app.module, BROKEN);
    const error = await waitFor(
      'the pre-flight error',
      () => watching.events.find((event) => event.event === 'error'),
      20_000,
    );
    assert.match(JSON.stringify(error), /helpers\.py:2: SyntaxError/);
    assert.deepEqual(watching.reloads(), []);
    assert.deepEqual(await djangoPids(sandbox.pid), before, 'nothing was signalled');
    writeFileSync(app.module, GOOD);
    const [reload] = await waitFor(
      'the reload of the fix',
      () => watching.reloads().length > 0 && watching.reloads(),
      20_000,
    );
    const result = reload as unknown as GroupReloadResult;
    assert.equal(result.outcome, 'replaced');
    assert.equal(result.preflight?.status, 'passed');
  });
});
