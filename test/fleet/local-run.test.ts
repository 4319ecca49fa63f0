import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

/**
 * A local run loads no fleet code: the CLI (the compiled ES modules) is run in a child node whose module
 * resolve hook writes down every file it loads; none may be under src/fleet/. The same run with --host
 * must load them, which shows that the hook sees the lazy imports.
 */
const dir = mkdtempSync(join(tmpdir(), 'wsgictl-modules-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(
  join(dir, 'hooks.mjs'),
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (resolved.url.startsWith('file:')) appendFileSync(process.env.WSGICTL_MODULES_LOG, resolved.url + '\\n');
  return resolved;
}
`,
);
writeFileSync(
  join(dir, 'register.mjs'),
  `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`,
);
const CLI_URL = new URL('../../src/cli.js', import.meta.url).href;
// A pid no process has (above Linux's pid_max): the local runs find nothing and touch nothing.
const NO_PID = '2147483646';

function loadedBy(args: string[]): { status: number | null; fleet: string[]; all: string[] } {
  const log = join(dir, `loaded-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, '');
  const script = `import { main } from ${JSON.stringify(CLI_URL)};
process.exitCode = await main(['node', 'wsgictl', ...${JSON.stringify(args)}]);`;
  const child = spawnSync(
    process.execPath,
    ['--import', join(dir, 'register.mjs'), '--input-type=module', '-e', script],
    { env: { ...process.env, WSGICTL_MODULES_LOG: log, NO_COLOR: '1' }, encoding: 'utf8', timeout: 30_000 },
  );
  const all = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return { status: child.status, fleet: all.filter((url) => url.includes('/src/fleet/')), all };
}

test('ps, reload --dry-run and --version run here without loading any fleet module', () => {
  for (const args of [
    ['ps', '--json', '--instance', NO_PID],
    ['reload', 'django', '--dry-run', '--instance', NO_PID],
    ['--version'],
  ]) {
    const run = loadedBy(args);
    assert.ok(
      run.all.some((url) => url.endsWith('/src/cli.js')),
      `the hook saw the CLI load (${args})`,
    );
    assert.ok(
      run.all.some((url) => url.endsWith('/src/cli/ps.js')),
      `the hook saw its imports (${args})`,
    );
    assert.deepEqual(run.fleet, [], `wsgictl ${args.join(' ')}`);
  }
});

test('with --host (a name refused before any ssh) or --envelope, the fleet modules are loaded', () => {
  const host = loadedBy(['ps', '--host', '-oProxyCommand=x']);
  assert.equal(host.status, 2);
  assert.ok(
    host.fleet.some((url) => url.endsWith('/src/fleet/resolve.js')),
    host.fleet.join(' '),
  );
  const served = loadedBy(['--envelope', '--version']);
  assert.equal(served.status, 0);
  assert.ok(
    served.fleet.some((url) => url.endsWith('/src/fleet/serve.js')),
    served.fleet.join(' '),
  );
});
