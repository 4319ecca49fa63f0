import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, posix } from 'node:path';
import { readWsgiVersionBytes } from '../apache/binary/wsgi-version.js';

// POSIX paths on every platform: the sandbox runs Apache on Linux and macOS only, and its unit tests run
// everywhere.
const { dirname, join } = posix;

/** An Apache binary, its own modules and a mod_wsgi it can load: what a sandbox needs. */
export interface ApacheInstallation {
  binary: string;
  /** The folder of Apache's own modules. */
  modulesDir: string;
  /**
   * The Apache modules a sandbox loads from it, by name (`mpm_event` is mod_mpm_event.so): unixd only where
   * it is a module of its own (Homebrew's httpd; Debian's apache2 has it built in). Not `<IfModule
   * !unixd_module>`: wsgictl would need `httpd -l` to read that, which an unprivileged user may not run.
   */
  modules: string[];
  wsgiModule: string;
  /** Shared libraries to load before mod_wsgi (`LoadFile`), as mod_wsgi-express asks for some Pythons. */
  loadFiles: string[];
  /** `WSGIPythonHome`: the Python that mod_wsgi was built with (a pip install's venv, say), or null. */
  pythonHome: string | null;
  /**
   * `system`: a distribution's package; `mod_wsgi-express`: `pip install mod_wsgi`; `WSGICTL_MOD_WSGI`: the
   * module that variable names, in the system's Apache (the version matrix: scripts/build-mod-wsgi.sh).
   */
  source: 'system' | 'mod_wsgi-express' | 'WSGICTL_MOD_WSGI';
}

/** What `mod_wsgi-express module-config` prints. */
export interface ModuleConfig {
  loadFiles: string[];
  wsgiModule: string;
  pythonHome: string | null;
}

/** The machine as selectApache sees it; tests pass recorded answers. */
export interface InstallProbe {
  exists(path: string): boolean;
  /** A file's text, or null when it cannot be read. */
  read(path: string): string | null;
  /** The output of `mod_wsgi-express module-config`, or null when that command is missing or fails. */
  moduleConfig(): string | null;
  /** The folders of PATH, in order. */
  pathDirs: string[];
}

export const SANDBOX_PACKAGES = 'apache2 libapache2-mod-wsgi-py3 apache2-utils';
export const EXPRESS_HINT =
  'or: pip install mod_wsgi (with Apache and its apxs installed), so that mod_wsgi-express is on PATH';

const SYSTEM_BINARIES = ['/usr/sbin/apache2', '/usr/sbin/httpd'];
const SYSTEM_MODULE_DIRS = ['/usr/lib/apache2/modules', '/usr/lib64/httpd/modules', '/usr/lib/httpd/modules'];
// Homebrew on Apple silicon, then on Intel; then the distributions' own binaries.
const EXPRESS_BINARIES = ['/opt/homebrew/bin/httpd', '/usr/local/bin/httpd', ...SYSTEM_BINARIES];
const PATH_NAMES = ['httpd', 'apache2'];

function unquote(value: string): string {
  const trimmed = value.trim();
  const quoted = /^(["'])(.*)\1$/.exec(trimmed);
  return quoted ? (quoted[2] as string) : trimmed;
}

/**
 * Reads `mod_wsgi-express module-config`: `LoadFile` lines (a Python shared library), the `LoadModule
 * wsgi_module` path and `WSGIPythonHome`. mod_wsgi quotes each path with double quotes; its docs show them
 * bare; both are read. Null when there is no `LoadModule wsgi_module` line.
 */
export function parseModuleConfig(text: string): ModuleConfig | null {
  const loadFiles: string[] = [];
  let wsgiModule: string | null = null;
  let pythonHome: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(LoadFile|LoadModule\s+wsgi_module|WSGIPythonHome)\s+(.+)$/i.exec(line);
    if (!match) continue;
    const directive = (match[1] as string).toLowerCase();
    const value = unquote(match[2] as string);
    if (directive === 'loadfile') loadFiles.push(value);
    else if (directive === 'wsgipythonhome') pythonHome = value;
    else wsgiModule = value;
  }
  return wsgiModule ? { loadFiles, wsgiModule, pythonHome } : null;
}

/** The `NAME = '...'` assignments of mod_wsgi's generated apxs_config.py (the Apache it was built for). */
export function parseApxsConfig(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const match of text.matchAll(/^\s*([A-Z_]+)\s*=\s*(['"])(.*?)\2\s*$/gm)) {
    if (!values.has(match[1] as string)) values.set(match[1] as string, match[3] as string);
  }
  return values;
}

/**
 * Where mod_wsgi's build wrote down the Apache it was compiled against: apxs_config.py beside the module
 * (mod_wsgi 4 and 5: mod_wsgi/server/) or in mod_wsgi/express/ (6).
 */
function apxsConfigPaths(wsgiModule: string): string[] {
  const server = dirname(wsgiModule);
  return [join(server, 'apxs_config.py'), join(dirname(server), 'express', 'apxs_config.py')];
}

/** The Apache modules folder that belongs to a binary: next to it in a prefix, or the system's. */
function modulesDirsOf(binary: string): string[] {
  const prefix = dirname(dirname(binary));
  return [join(prefix, 'lib', 'httpd', 'modules'), join(prefix, 'modules'), ...SYSTEM_MODULE_DIRS];
}

function hasMpm(probe: InstallProbe, dir: string): boolean {
  return probe.exists(join(dir, 'mod_mpm_event.so'));
}

function modulesIn(probe: InstallProbe, dir: string): string[] {
  return ['mpm_event', 'authz_core', ...(probe.exists(join(dir, 'mod_unixd.so')) ? ['unixd'] : [])];
}

/** The Apache that mod_wsgi-express's build names, when its apxs_config.py is readable and still true. */
function builtFor(probe: InstallProbe, wsgiModule: string): { binary: string; modulesDir: string } | null {
  for (const path of apxsConfigPaths(wsgiModule)) {
    const text = probe.read(path);
    if (text === null) continue;
    const config = parseApxsConfig(text);
    const program = config.get('PROGNAME') || 'httpd';
    const modulesDir = config.get('LIBEXECDIR') ?? '';
    const binary = [config.get('SBINDIR'), config.get('BINDIR')]
      .filter((dir): dir is string => Boolean(dir))
      .map((dir) => join(dir, program))
      .find((candidate) => probe.exists(candidate));
    if (binary && modulesDir && hasMpm(probe, modulesDir)) return { binary, modulesDir };
  }
  return null;
}

/** An httpd on PATH, then Homebrew's, then the system's, with a modules folder of its own. */
function anyApache(probe: InstallProbe): { binary: string; modulesDir: string } | null {
  const onPath = probe.pathDirs.flatMap((dir) => PATH_NAMES.map((name) => join(dir, name)));
  for (const binary of [...onPath, ...EXPRESS_BINARIES]) {
    if (!probe.exists(binary)) continue;
    const modulesDir = modulesDirsOf(binary).find((dir) => hasMpm(probe, dir));
    if (modulesDir) return { binary, modulesDir };
  }
  return null;
}

/**
 * Chooses the Apache + mod_wsgi a sandbox runs: a distribution's packaged module first (Debian's
 * libapache2-mod-wsgi-py3, RHEL's mod_wsgi); else the module `pip install mod_wsgi` built, as
 * `mod_wsgi-express module-config` names it, in the Apache that build was made for (its apxs_config.py),
 * else an httpd on PATH, Homebrew's (/opt/homebrew, /usr/local) or the system's. Null when none fits.
 */
export function selectApache(probe: InstallProbe, override?: string): ApacheInstallation | null {
  if (override) return selectOverride(probe, override);
  const binary = SYSTEM_BINARIES.find((path) => probe.exists(path));
  const modulesDir = SYSTEM_MODULE_DIRS.find((dir) => probe.exists(join(dir, 'mod_wsgi.so')));
  if (binary && modulesDir) {
    const wsgiModule = join(modulesDir, 'mod_wsgi.so');
    const modules = modulesIn(probe, modulesDir);
    return { binary, modulesDir, modules, wsgiModule, loadFiles: [], pythonHome: null, source: 'system' };
  }
  const output = probe.moduleConfig();
  const config = output === null ? null : parseModuleConfig(output);
  if (!config || !probe.exists(config.wsgiModule)) return null;
  const apache = builtFor(probe, config.wsgiModule) ?? anyApache(probe);
  if (!apache) return null;
  return { ...apache, modules: modulesIn(probe, apache.modulesDir), ...config, source: 'mod_wsgi-express' };
}

/**
 * The module WSGICTL_MOD_WSGI names, loaded into the system's Apache. A name that is not an existing
 * mod_wsgi is an error, not a fall back to another module: a suite that says it ran against 6.0.5 must have.
 */
function selectOverride(probe: InstallProbe, wsgiModule: string): ApacheInstallation | null {
  if (!wsgiModule.startsWith('/') || !probe.exists(wsgiModule)) {
    throw new Error(
      `WSGICTL_MOD_WSGI=${wsgiModule}: no such module (give the absolute path of a mod_wsgi.so; scripts/build-mod-wsgi.sh builds 5.0.2 and 6.0.5)`,
    );
  }
  const binary = SYSTEM_BINARIES.find((path) => probe.exists(path));
  const modulesDir = SYSTEM_MODULE_DIRS.find((dir) => hasMpm(probe, dir));
  if (!binary || !modulesDir) return null;
  const modules = modulesIn(probe, modulesDir);
  return {
    binary,
    modulesDir,
    modules,
    wsgiModule,
    loadFiles: [],
    pythonHome: null,
    source: 'WSGICTL_MOD_WSGI',
  };
}

/** `mod_wsgi-express module-config`, found on PATH; null when it is not there or fails. */
function runModuleConfig(pathDirs: string[]): string | null {
  const express = pathDirs.map((dir) => join(dir, 'mod_wsgi-express')).find((path) => existsSync(path));
  if (!express) return null;
  const result = spawnSync(express, ['module-config'], { encoding: 'utf8', timeout: 20_000 });
  return result.status === 0 ? result.stdout : null;
}

// The test helpers ask before every real-Apache test; mod_wsgi-express starts a Python each time it answers.
const found = new Map<string, ApacheInstallation | null>();

/** Where Apache and mod_wsgi are installed on this machine, or null when they are not. */
export function findApache(env: NodeJS.ProcessEnv = process.env): ApacheInstallation | null {
  const path = env.PATH ?? '';
  const override = env.WSGICTL_MOD_WSGI ?? '';
  const key = `${override}\0${path}`;
  if (!found.has(key)) found.set(key, selectApache(createMachineProbe(path), override));
  return found.get(key) ?? null;
}

/** The version of the mod_wsgi a sandbox loads ("4.9.4"), read from the module's bytes; null if unreadable. */
export function sandboxWsgiVersion(install: ApacheInstallation): string | null {
  try {
    return readWsgiVersionBytes(readFileSync(install.wsgiModule));
  } catch {
    return null;
  }
}

/** This machine as selectApache sees it, with `path` as PATH. */
export function createMachineProbe(path: string): InstallProbe {
  const pathDirs = path.split(delimiter).filter(Boolean);
  return {
    exists: existsSync,
    read: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch {
        return null;
      }
    },
    moduleConfig: () => runModuleConfig(pathDirs),
    pathDirs,
  };
}
