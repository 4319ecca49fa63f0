// Records what a real mod_wsgi writes to Apache's error log, one file per event, into
// test/fixtures/mod_wsgi/VERSION/: start, reload (SIGINT), graceful (SIGUSR1), maximum-requests, a traceback
// at import and at a request, a crash at import (a segfault), and a daemon that cannot start. The module is the
// one the sandbox loads: the packaged one, or WSGICTL_MOD_WSGI=/path/to/mod_wsgi.so. Needs root (the daemons
// drop to www-data) and `npm run build` first. Usage: node scripts/record-mod-wsgi-logs.mjs
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpGet } from '../dist/src/http.js';
import { startSandbox } from '../dist/src/sandbox/apache.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, test, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await test()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const app = mkdtempSync(join(tmpdir(), 'wsgictl-record-'));
chmodSync(app, 0o755);
const module = join(app, 'appmod.py');
const GOOD = 'def hello():\n    return "hello from appmod"\n';
writeFileSync(module, GOOD);
writeFileSync(
  join(app, 'shop.wsgi'),
  `import sys\nsys.path.insert(0, ${JSON.stringify(app)})\nimport appmod\n\ndef application(environ, start_response):\n    body = appmod.hello().encode()\n    start_response('200 OK', [('Content-Type', 'text/plain')])\n    return [body]\n`,
);
writeFileSync(
  join(app, 'raise.wsgi'),
  "def application(environ, start_response):\n    raise RuntimeError('raised by the request')\n",
);
for (const file of ['appmod.py', 'shop.wsgi', 'raise.wsgi']) chmodSync(join(app, file), 0o644);

const sandbox = await startSandbox({
  argv0: 'apache2',
  groups: [
    { name: 'django', processes: 2 },
    { name: 'churn', processes: 1, threads: 1, options: 'maximum-requests=1' },
  ],
  extraConfig: [
    `WSGIScriptAlias /shop ${join(app, 'shop.wsgi')} process-group=django application-group=%{GLOBAL}`,
    `WSGIScriptAlias /raise ${join(app, 'raise.wsgi')} process-group=django`,
    `<Directory ${app}>`,
    '  Require all granted',
    '</Directory>',
  ].join('\n'),
});
const version = sandbox.wsgiVersion ?? 'unknown';
const out = join('test/fixtures/mod_wsgi', version);
mkdirSync(out, { recursive: true });
const notes = [];
let mark = 0;
const begin = () => {
  mark = statSync(sandbox.errorLog).size;
};
const save = (name, what, log = sandbox.errorLog) => {
  const text = readFileSync(log).subarray(mark).toString('utf8');
  writeFileSync(join(out, `${name}.log`), text);
  notes.push(`- \`${name}.log\`: ${what}`);
  console.log(`${version}/${name}.log: ${text.split('\n').length - 1} lines`);
};
const daemons = (group) =>
  [...sandbox.startedDaemons()].filter(([pid, g]) => g === group && alive(pid)).map(([pid]) => pid);
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const wsgictl = (...args) => {
  try {
    return execFileSync(process.execPath, ['bin/wsgictl.js', ...args, '--instance', String(sandbox.pid)], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
  } catch (error) {
    return error.stdout ?? '';
  }
};
const answered = async (path) => (await httpGet(`http://127.0.0.1:${sandbox.port}${path}`, 5000)).status;

try {
  // The start-up was logged from the first byte: every daemon up and the preloaded script loaded.
  await until('django to answer', async () => (await answered('/shop').catch(() => 0)) === 200);
  mark = 0;
  save('start', 'from the first line: the parent starts, each daemon starts, django preloads shop.wsgi');

  begin();
  wsgictl('reload', 'django');
  await sleep(1500);
  save('reload', '`wsgictl reload django` (SIGINT to its 2 daemons), the next 1.5 s');

  begin();
  wsgictl('reload', 'django', '--graceful');
  await sleep(1500);
  save('graceful', '`wsgictl reload django --graceful` (SIGUSR1 to its 2 daemons), the next 1.5 s');

  // The sandbox's readiness check was a request: churn's first daemon is already gone. Two GETs here: the
  // second daemon's whole life (start, its one request, its end) is in the file.
  begin();
  for (let round = 0; round < 2; round++) {
    const churned = daemons('churn');
    await httpGet(sandbox.url('churn', '/'), 5000);
    await until('the churn daemon to be replaced', () =>
      daemons('churn').some((pid) => !churned.includes(pid)),
    );
  }
  await sleep(300);
  save(
    'maximum-requests',
    'two GETs to group churn (maximum-requests=1), each after the daemon before it was replaced',
  );

  begin();
  writeFileSync(module, 'def hello(:\n    return "hello from appmod"\n');
  wsgictl('reload', 'django');
  await sleep(1000);
  const importStatus = await answered('/shop');
  await sleep(300);
  save(
    'traceback-at-import',
    `appmod.py saved with a SyntaxError, \`wsgictl reload django\`, then one GET /shop (answered ${importStatus})`,
  );

  begin();
  writeFileSync(module, GOOD);
  wsgictl('reload', 'django');
  const requestStatus = await answered('/raise');
  await sleep(300);
  save(
    'traceback-at-request',
    `appmod.py fixed, \`wsgictl reload django\`, then one GET /raise, whose application raises RuntimeError (answered ${requestStatus})`,
  );

  begin();
  writeFileSync(module, 'import ctypes\nctypes.string_at(0)\n');
  wsgictl('reload', 'django', '--timeout', '5s');
  await sleep(2000);
  save(
    'crash',
    'appmod.py saved as a segfault at import, `wsgictl reload django --timeout 5s` (it stops on the crash loop), the next 2 s',
  );
  writeFileSync(module, GOOD);
} finally {
  await sandbox.stop();
  rmSync(app, { recursive: true, force: true });
}

// A daemon that cannot start: its home= does not exist; mod_wsgi logs it, then sleeps 20 s before it exits.
{
  const failing = await startSandbox({
    argv0: 'apache2',
    groups: [{ name: 'nohome', processes: 1, options: 'home=/nonexistent/wsgictl-record', runs: false }],
  }).catch((error) => error);
  if (failing instanceof Error) throw failing;
  try {
    await sleep(3000);
    mark = 0;
    save(
      'startup-failure',
      'from the first line: group nohome with home=/nonexistent/wsgictl-record, the first 3 s',
      failing.errorLog,
    );
  } finally {
    await failing.stop();
  }
}
writeFileSync(
  join(out, 'RECORDED.md'),
  `# mod_wsgi ${version}, recorded by scripts/record-mod-wsgi-logs.mjs\n\n${notes.join('\n')}\n`,
);
