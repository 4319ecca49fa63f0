// The mod_wsgi-express path for real on Linux: a machine where Debian's packaged module "is absent" (the
// probe hides it) and `pip install mod_wsgi` "has put" its module in a venv. No PyPI here, so the venv is laid
// out by hand as pip lays it out (mod_wsgi/server/mod_wsgi-py311...so, mod_wsgi/express/apxs_config.py), the
// module being Debian's own build, and mod_wsgi-express a script that prints what upstream's module-config
// prints for it (see test/fixtures/mod_wsgi-express/SOURCES.md).
import assert from 'node:assert/strict';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it } from 'node:test';
import { createMachineProbe, selectApache } from '../../src/sandbox/install.js';
import { apacheSkipReason, useSandbox } from '../helpers/apache.js';
import { psJson, REPO } from '../helpers/cli.js';

const DEBIAN_MODULE = '/usr/lib/apache2/modules/mod_wsgi.so';
const skip =
  apacheSkipReason() ||
  (!existsSync(DEBIAN_MODULE) && `lays out ${DEBIAN_MODULE} as pip would, and it is absent`);

/** A venv with pip's layout and a mod_wsgi-express on its bin/; removed after the test. */
function layOutVenv(t: { after(fn: () => void): void }): { bin: string; module: string } {
  const venv = mkdtempSync(join(tmpdir(), 'wsgictl-venv-'));
  t.after(() => rmSync(venv, { recursive: true, force: true }));
  const site = join(venv, 'lib/python3.11/site-packages/mod_wsgi');
  const module = join(site, 'server/mod_wsgi-py311.cpython-311-x86_64-linux-gnu.so');
  mkdirSync(join(site, 'server'), { recursive: true });
  mkdirSync(join(site, 'express'), { recursive: true });
  mkdirSync(join(venv, 'bin'));
  copyFileSync(DEBIAN_MODULE, module);
  copyFileSync(
    join(REPO, 'test/fixtures/mod_wsgi-express/apxs_config-debian.py'),
    join(site, 'express/apxs_config.py'),
  );
  // The system Python as home: the one Debian's module was built against (a venv of it would do as well).
  const output = `LoadModule wsgi_module "${module}"\nWSGIPythonHome "/usr"\n`;
  const express = join(venv, 'bin/mod_wsgi-express');
  writeFileSync(express, `#!/bin/sh\n[ "$1" = module-config ] || exit 2\nprintf '%s' '${output}'\n`);
  chmodSync(express, 0o755);
  return { bin: join(venv, 'bin'), module };
}

describe('the sandbox with mod_wsgi-express (Debian module hidden)', { skip }, () => {
  it("serves both groups from pip's module, and ps identifies them by socket through its config", async (t) => {
    const { bin, module } = layOutVenv(t);
    const machine = createMachineProbe(`${bin}${delimiter}${process.env.PATH ?? ''}`);
    const install = selectApache({
      ...machine,
      exists: (path) => path !== DEBIAN_MODULE && machine.exists(path),
    });
    assert.equal(install?.source, 'mod_wsgi-express');
    assert.equal(install?.wsgiModule, module);
    assert.equal(install?.binary, '/usr/sbin/apache2');

    const sandbox = await useSandbox(t, {
      groups: [{ name: 'django', processes: 2 }, { name: 'djangoadmin' }],
      argv0: 'apache2',
      install: install ?? undefined,
    });
    const config = readFileSync(sandbox.configFile, 'utf8');
    assert.match(config, new RegExp(`^LoadModule wsgi_module "${module}"$`, 'm'));
    assert.match(config, /^WSGIPythonHome "\/usr"$/m);

    const records = await psJson(sandbox.pid);
    const daemons = records.filter((record) => record.role === 'daemon');
    const started = sandbox.startedDaemons();
    assert.deepEqual(
      daemons.map((record) => [record.pid, record.group]).sort(),
      [...started.entries()].sort(),
    );
    if (process.getuid?.() === 0) assert.ok(daemons.every((record) => record.evidence === 'socket'));
  });
});

/**
 * The real mod_wsgi-express 6.0.5 that scripts/build-mod-wsgi.sh installs with Debian's pip: its module-config,
 * not a recorded one, names the module and its Python; required wherever the real-Apache tests are.
 */
const EXPRESS_BIN = join(REPO, '.cache/mod_wsgi/6.0.5/bin');
function realExpressSkip(): string | false {
  const reason = apacheSkipReason();
  if (reason) return reason;
  if (existsSync(join(EXPRESS_BIN, 'mod_wsgi-express'))) return false;
  const missing = `no ${EXPRESS_BIN}/mod_wsgi-express: run scripts/build-mod-wsgi.sh 6.0.5`;
  if (process.env.WSGICTL_REQUIRE_APACHE === '1') throw new Error(`WSGICTL_REQUIRE_APACHE=1 but ${missing}`);
  return missing;
}

describe('the sandbox with the real mod_wsgi-express 6.0.5 (Debian module hidden)', () => {
  it('finds the module and the Apache it was built for through module-config and apxs_config.py, and serves', async (t) => {
    const skipReason = realExpressSkip();
    if (skipReason) return t.skip(skipReason);
    const machine = createMachineProbe(`${EXPRESS_BIN}${delimiter}${process.env.PATH ?? ''}`);
    const install = selectApache({
      ...machine,
      exists: (path) => path !== DEBIAN_MODULE && machine.exists(path),
    });
    assert.equal(install?.source, 'mod_wsgi-express');
    assert.match(
      install?.wsgiModule ?? '',
      /\/6\.0\.5\/express\/.*\/mod_wsgi\/server\/mod_wsgi-py3\d+\.cpython-.*\.so$/,
    );
    assert.equal(install?.pythonHome, '/usr');
    assert.equal(install?.binary, '/usr/sbin/apache2');

    const sandbox = await useSandbox(t, {
      groups: [{ name: 'django', processes: 2 }],
      install: install ?? undefined,
    });
    assert.equal(sandbox.wsgiVersion, '6.0.5');
    const response = await fetch(sandbox.url('django'));
    assert.equal(response.status, 200);
    assert.match(await response.text(), /^django \d+\n$/);
    const records = await psJson(sandbox.pid);
    const daemons = records.filter((record) => record.role === 'daemon');
    assert.deepEqual(
      daemons.map((record) => [record.pid, record.group]).sort(),
      [...sandbox.startedDaemons()].sort(),
    );
  });
});
