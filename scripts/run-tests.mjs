// Runs node's test runner on the compiled *.test.js files only (a folder argument would also run every
// helper module under dist/test/), the same way on Linux, macOS and Windows.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.js') ? [path] : [];
  });
}

// --real-apache: only the suites that start a real Apache (the ones the mod_wsgi version matrix repeats),
// less those that test what does not change with mod_wsgi: the ssh transport of the fleet (test/fleet/: its
// simulated hosts run the same sandbox) and the packages (test/standalone/: the same code, bundled). They run
// once, on the version of the whole suite; the matrix would spend a third of its time on them.
const args = process.argv.slice(2);
const realApacheOnly = args.includes('--real-apache');
const nodeArgs = args.filter((arg) => arg !== '--real-apache');
const startsApache = (file) => /helpers\/apache\.js|sandbox\/apache\.js/.test(readFileSync(file, 'utf8'));
const versionIndependent = (file) => /^dist[\\/]test[\\/](fleet|standalone)[\\/]/.test(file);
const files = findTests('dist/test')
  .sort()
  .filter((file) => !realApacheOnly || (startsApache(file) && !versionIndependent(file)));
if (files.length === 0) {
  console.error('no compiled tests under dist/test: run `npm run build` first');
  process.exit(1);
}
// Which mod_wsgi the real-Apache tests load: the packaged one, or the one WSGICTL_MOD_WSGI names.
try {
  const { findApache, sandboxWsgiVersion } = await import('../dist/src/sandbox/install.js');
  const install = findApache();
  console.log(
    install
      ? `# real-Apache tests: mod_wsgi ${sandboxWsgiVersion(install) ?? '(version unread)'} from ${install.wsgiModule} (${install.source})`
      : '# real-Apache tests: no Apache + mod_wsgi found',
  );
} catch (error) {
  console.error(`real-Apache tests: ${error.message}`);
  process.exit(1);
}
// On GitHub Actions, also list every skipped test with its reason on the job's page (the console keeps
// node's default reporter, which a second reporter would otherwise replace).
const summary = process.env.GITHUB_STEP_SUMMARY;
const reporters = summary
  ? [
      `--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`,
      '--test-reporter-destination=stdout',
      `--test-reporter=${new URL('skip-summary.mjs', import.meta.url).href}`,
      `--test-reporter-destination=${summary}`,
    ]
  : [];
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=1', ...reporters, ...nodeArgs, ...files],
  {
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
