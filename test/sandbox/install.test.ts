import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { moduleLines } from '../../src/sandbox/config.js';
import {
  type InstallProbe,
  parseApxsConfig,
  parseModuleConfig,
  selectApache,
} from '../../src/sandbox/install.js';
import { REPO } from '../helpers/cli.js';

function fixture(name: string): string {
  return readFileSync(join(REPO, 'test/fixtures/mod_wsgi-express', name), 'utf8');
}

const HOMEBREW_VENV = '/Users/runner/.wsgictl/mod_wsgi-venv';
const HOMEBREW_MODULE = `${HOMEBREW_VENV}/lib/python3.12/site-packages/mod_wsgi/server/mod_wsgi-py312.cpython-312-darwin.so`;
const HOMEBREW_APXS = `${HOMEBREW_VENV}/lib/python3.12/site-packages/mod_wsgi/express/apxs_config.py`;
const DEBIAN_VENV_MODULE =
  '/tmp/venv-modwsgi/lib/python3.11/site-packages/mod_wsgi/server/mod_wsgi-py311.cpython-311-x86_64-linux-gnu.so';

/** A machine made of the paths that exist, the files that can be read and what module-config prints. */
function probeOf(
  paths: string[],
  options: { files?: Record<string, string>; moduleConfig?: string | null; pathDirs?: string[] } = {},
): InstallProbe & { moduleConfigCalls: number } {
  const files = options.files ?? {};
  const existing = new Set([...paths, ...Object.keys(files)]);
  const probe = {
    moduleConfigCalls: 0,
    exists: (path: string) => existing.has(path),
    read: (path: string) => files[path] ?? null,
    moduleConfig: () => {
      probe.moduleConfigCalls++;
      return options.moduleConfig ?? null;
    },
    pathDirs: options.pathDirs ?? ['/usr/local/bin', '/usr/bin', '/bin'],
  };
  return probe;
}

describe('parseModuleConfig', () => {
  it('reads LoadFile, the module and WSGIPythonHome from macOS output (quoted, as the code prints them)', () => {
    assert.deepEqual(parseModuleConfig(fixture('module-config-homebrew.txt')), {
      loadFiles: ['/Users/runner/hostedtoolcache/Python/3.12.10/arm64/lib/libpython3.12.dylib'],
      wsgiModule: HOMEBREW_MODULE,
      pythonHome: HOMEBREW_VENV,
    });
  });

  it('reads the Linux venv output, which has no LoadFile', () => {
    assert.deepEqual(parseModuleConfig(fixture('module-config-debian-venv.txt')), {
      loadFiles: [],
      wsgiModule: DEBIAN_VENV_MODULE,
      pythonHome: '/tmp/venv-modwsgi',
    });
  });

  it('reads Windows output: CRLF line ends, drive letters, forward slashes', () => {
    const config = parseModuleConfig(fixture('module-config-windows.txt'));
    assert.deepEqual(config?.loadFiles, ['C:/hostedtoolcache/windows/Python/3.12.10/x64/python312.dll']);
    assert.equal(
      config?.wsgiModule,
      'C:/hostedtoolcache/windows/Python/3.12.10/x64/Lib/site-packages/mod_wsgi/server/mod_wsgi.cp312-win_amd64.pyd',
    );
    assert.equal(config?.pythonHome, 'C:/hostedtoolcache/windows/Python/3.12.10/x64');
  });

  it('reads the bare paths the docs show', () => {
    assert.deepEqual(parseModuleConfig(fixture('module-config-docs.txt')), {
      loadFiles: [],
      wsgiModule: '/usr/local/lib/python3.12/site-packages/mod_wsgi/server/mod_wsgi-py312.so',
      pythonHome: '/usr/local',
    });
  });

  it('is null without a LoadModule wsgi_module line (an error message, say)', () => {
    assert.equal(parseModuleConfig('WSGIPythonHome "/usr"\n'), null);
    assert.equal(parseModuleConfig(''), null);
  });
});

describe('parseApxsConfig', () => {
  it("takes the literal values of pip's apxs_config.py, not the mod_wsgi-httpd branch", () => {
    const config = parseApxsConfig(fixture('apxs_config-debian.py'));
    assert.equal(config.get('BINDIR'), '/usr/bin');
    assert.equal(config.get('SBINDIR'), '/usr/sbin');
    assert.equal(config.get('LIBEXECDIR'), '/usr/lib/apache2/modules');
    assert.equal(config.get('PROGNAME'), 'apache2');
    assert.equal(config.get('MPM_NAME'), '');
  });
});

describe('selectApache', () => {
  const debian = ['/usr/sbin/apache2', '/usr/lib/apache2/modules/mod_wsgi.so'];

  it("takes Debian's packaged module first, without asking mod_wsgi-express", () => {
    const probe = probeOf(debian, { moduleConfig: fixture('module-config-debian-venv.txt') });
    assert.deepEqual(selectApache(probe), {
      binary: '/usr/sbin/apache2',
      modulesDir: '/usr/lib/apache2/modules',
      modules: ['mpm_event', 'authz_core'],
      wsgiModule: '/usr/lib/apache2/modules/mod_wsgi.so',
      loadFiles: [],
      pythonHome: null,
      source: 'system',
    });
    assert.equal(probe.moduleConfigCalls, 0);
  });

  it('with WSGICTL_MOD_WSGI, loads that module into the system Apache, ahead of the packaged one', () => {
    const built = '/work/.cache/mod_wsgi/6.0.5/mod_wsgi.so';
    const probe = probeOf([...debian, '/usr/lib/apache2/modules/mod_mpm_event.so', built]);
    assert.deepEqual(selectApache(probe, built), {
      binary: '/usr/sbin/apache2',
      modulesDir: '/usr/lib/apache2/modules',
      modules: ['mpm_event', 'authz_core'],
      wsgiModule: built,
      loadFiles: [],
      pythonHome: null,
      source: 'WSGICTL_MOD_WSGI',
    });
  });

  it('with WSGICTL_MOD_WSGI naming no module, or a relative path, fails instead of running another one', () => {
    const probe = probeOf([...debian, '/usr/lib/apache2/modules/mod_mpm_event.so', 'mod_wsgi.so']);
    assert.throws(
      () => selectApache(probe, '/nowhere/mod_wsgi.so'),
      /WSGICTL_MOD_WSGI=\/nowhere\/mod_wsgi.so: no such module/,
    );
    assert.throws(() => selectApache(probe, 'mod_wsgi.so'), /absolute path/);
  });

  it("on Linux without Debian's module, runs pip's module in the Apache its apxs_config.py names", () => {
    const files = {
      [`${DEBIAN_VENV_MODULE.replace(/server\/[^/]+$/, 'express')}/apxs_config.py`]:
        fixture('apxs_config-debian.py'),
    };
    const probe = probeOf(
      ['/usr/sbin/apache2', '/usr/lib/apache2/modules/mod_mpm_event.so', DEBIAN_VENV_MODULE],
      {
        files,
        moduleConfig: fixture('module-config-debian-venv.txt'),
      },
    );
    assert.deepEqual(selectApache(probe), {
      binary: '/usr/sbin/apache2',
      modulesDir: '/usr/lib/apache2/modules',
      modules: ['mpm_event', 'authz_core'],
      wsgiModule: DEBIAN_VENV_MODULE,
      loadFiles: [],
      pythonHome: '/tmp/venv-modwsgi',
      source: 'mod_wsgi-express',
    });
  });

  it('on macOS, runs the Homebrew httpd that mod_wsgi was built for, not the system one first on PATH', () => {
    const modules = '/opt/homebrew/opt/httpd/lib/httpd/modules';
    const probe = probeOf(
      [
        '/usr/sbin/httpd',
        '/usr/libexec/apache2/mod_mpm_event.so',
        '/opt/homebrew/opt/httpd/bin/httpd',
        `${modules}/mod_mpm_event.so`,
        `${modules}/mod_unixd.so`,
        HOMEBREW_MODULE,
      ],
      {
        files: { [HOMEBREW_APXS]: fixture('apxs_config-homebrew.py') },
        moduleConfig: fixture('module-config-homebrew.txt'),
        pathDirs: ['/usr/sbin', '/opt/homebrew/bin'],
      },
    );
    const install = selectApache(probe);
    assert.equal(install?.binary, '/opt/homebrew/opt/httpd/bin/httpd');
    assert.equal(install?.modulesDir, modules);
    assert.deepEqual(install?.modules, ['mpm_event', 'authz_core', 'unixd']);
    assert.equal(install?.wsgiModule, HOMEBREW_MODULE);
    assert.equal(install?.source, 'mod_wsgi-express');
  });

  it("without apxs_config.py, takes httpd from PATH with its prefix's modules (Homebrew's layout)", () => {
    const probe = probeOf(
      ['/opt/homebrew/bin/httpd', '/opt/homebrew/lib/httpd/modules/mod_mpm_event.so', HOMEBREW_MODULE],
      { moduleConfig: fixture('module-config-homebrew.txt'), pathDirs: ['/opt/homebrew/bin', '/usr/bin'] },
    );
    const install = selectApache(probe);
    assert.equal(install?.binary, '/opt/homebrew/bin/httpd');
    assert.equal(install?.modulesDir, '/opt/homebrew/lib/httpd/modules');
    assert.deepEqual(install?.loadFiles, [
      '/Users/runner/hostedtoolcache/Python/3.12.10/arm64/lib/libpython3.12.dylib',
    ]);
  });

  it("falls back to Intel Homebrew's /usr/local/bin/httpd when PATH has none", () => {
    const probe = probeOf(
      ['/usr/local/bin/httpd', '/usr/local/lib/httpd/modules/mod_mpm_event.so', HOMEBREW_MODULE],
      { moduleConfig: fixture('module-config-homebrew.txt'), pathDirs: ['/usr/bin'] },
    );
    assert.equal(selectApache(probe)?.binary, '/usr/local/bin/httpd');
  });

  it("skips an httpd without modules of its own (Apple's stub) for one that has them", () => {
    const probe = probeOf(
      [
        '/usr/sbin/httpd',
        '/opt/homebrew/bin/httpd',
        '/opt/homebrew/lib/httpd/modules/mod_mpm_event.so',
        HOMEBREW_MODULE,
      ],
      { moduleConfig: fixture('module-config-homebrew.txt'), pathDirs: ['/usr/sbin'] },
    );
    assert.equal(selectApache(probe)?.binary, '/opt/homebrew/bin/httpd');
  });

  it('is null when mod_wsgi-express is missing, names a module that is gone, or no Apache fits', () => {
    const apache = ['/opt/homebrew/bin/httpd', '/opt/homebrew/lib/httpd/modules/mod_mpm_event.so'];
    assert.equal(selectApache(probeOf(apache, { moduleConfig: null })), null);
    assert.equal(
      selectApache(probeOf(apache, { moduleConfig: fixture('module-config-homebrew.txt') })),
      null,
    );
    assert.equal(
      selectApache(probeOf([HOMEBREW_MODULE], { moduleConfig: fixture('module-config-homebrew.txt') })),
      null,
    );
  });
});

describe('moduleLines', () => {
  it("loads Apache's modules, then pip's module after its Python library, and sets WSGIPythonHome", () => {
    const lines = moduleLines({
      binary: '/opt/homebrew/bin/httpd',
      modulesDir: '/opt/homebrew/lib/httpd/modules',
      modules: ['mpm_event', 'authz_core', 'unixd'],
      wsgiModule: HOMEBREW_MODULE,
      loadFiles: ['/x/libpython3.12.dylib'],
      pythonHome: HOMEBREW_VENV,
      source: 'mod_wsgi-express',
    });
    assert.deepEqual(lines, [
      'LoadModule mpm_event_module "/opt/homebrew/lib/httpd/modules/mod_mpm_event.so"',
      'LoadModule authz_core_module "/opt/homebrew/lib/httpd/modules/mod_authz_core.so"',
      'LoadModule unixd_module "/opt/homebrew/lib/httpd/modules/mod_unixd.so"',
      'LoadFile "/x/libpython3.12.dylib"',
      `LoadModule wsgi_module "${HOMEBREW_MODULE}"`,
      `WSGIPythonHome "${HOMEBREW_VENV}"`,
    ]);
  });
});
