import { posix, win32 } from 'node:path';
import type { Sites } from './sites.js';

/** One `WSGIDaemonProcess` directive; `id` is its 1-based position, the number in its socket's name. */
export interface DaemonGroupConfig {
  id: number;
  name: string;
  processes: number;
  threads: number;
  user: string | null;
  group: string | null;
  /** The display-name option as written (`%{GROUP}`, a literal), or null when there is none. */
  displayName: string | null;
  /** `python-home=`, `python-path=` (split at `:`) and `home=` as written; what pre-flight compiles with and from. */
  pythonHome?: string | null;
  pythonPath?: string[];
  home?: string | null;
  file: string;
  line: number;
}

/** A line of the configuration (`file` names the -C/-c directives for those). */
export interface ConfigSource {
  file: string;
  line: number;
}

/** A place in the configuration, with the condition that decided it. */
export interface ConditionalPlace extends ConfigSource {
  /** The section as written, e.g. `<IfDefine NOPE>`. */
  condition: string;
}

export interface ApacheConfig {
  configFile: string;
  serverRoot: string;
  /** WSGISocketPrefix resolved against ServerRoot, or null when the compiled-in default applies. */
  socketPrefix: string | null;
  /** Only the groups Apache defines, in order: `id` is the number in their listener socket's name. */
  groups: DaemonGroupConfig[];
  /** WSGIDaemonProcess directives inside a section Apache skips. */
  skippedGroups: Array<ConditionalPlace & { name: string }>;
  /**
   * Conditions that could not be decided and hold something that can change the groups (also a `Use` of a macro
   * that does, and an Include whose files or folders cannot be read).
   */
  doubts: Array<ConditionalPlace & { reason: string }>;
  /** Apache's own User and Group (the last one read wins). */
  user: string | null;
  group: string | null;
  /** PidFile resolved against ServerRoot, or null when the configuration sets none (the compiled-in default applies). */
  pidFile: string | null;
  /**
   * CoreDumpDirectory resolved against ServerRoot, or null when unset. With it set mod_wsgi makes its daemons
   * dumpable again after they drop privileges, so their own user can read their fds.
   */
  coreDumpDirectory?: string | null;
  /** `WSGIPythonHome` as written, or null when unset: the Python of every group without `python-home=`. */
  pythonHome?: string | null;
  /** Every file read, in order. */
  files: string[];
  /**
   * Every path whose change changes what Apache would read: each file read, each folder listed for a glob
   * or a directory Include, each path an `<IfFile>` tested, and for a path that does not exist its nearest
   * existing ancestor.
   */
  consulted: string[];
  warnings: string[];
  /** Mount points, addresses and error logs, for health checks (always set by the reader). */
  sites?: Sites;
  /**
   * The file of the first `LoadModule wsgi_module` read, resolved against ServerRoot (httpd skips a second
   * one for a module already loaded); null when none was read. The reader always sets it.
   */
  wsgiModule?: string | null;
}

export interface ApacheCommandLine {
  /** The configuration file, resolved against `serverRoot`. */
  configFile: string;
  serverRoot: string;
  /** `-f` as written (or the layout's default): httpd resolves a relative one after the `-C` directives. */
  configFileAsGiven?: string;
  /** `-D NAME` (value ''); a non-empty value is read as `Define NAME VALUE`. */
  defines: Map<string, string>;
  /** `-C "directive"`: read before the configuration file. */
  preDirectives: string[];
  /** `-c "directive"`: read after it. */
  postDirectives: string[];
}

const DEBIAN_ROOT = '/etc/apache2';
const RHEL_ROOT = '/etc/httpd';

/** The ServerRoot of the Apache Lounge / ApacheHaus Windows builds (`Define SRVROOT "c:/Apache24"`). */
export const WINDOWS_SERVER_ROOT = 'C:/Apache24';

/** Where an Apache keeps its configuration when its command line does not say: one answer per platform. */
export interface ApacheLayout {
  /**
   * ServerRoot and the configuration file (relative to it, or absolute) for this program; `exists` tells
   * which of several usual places holds a file when the program's own path does not say.
   */
  defaults(
    argv0: string,
    comm: string,
    exists?: (path: string) => boolean,
  ): { serverRoot: string; configFile: string };
  resolve(serverRoot: string, file: string): string;
}

const linuxLayout: ApacheLayout = {
  defaults: (_argv0, comm) =>
    comm.startsWith('apache2')
      ? { serverRoot: DEBIAN_ROOT, configFile: 'apache2.conf' }
      : { serverRoot: RHEL_ROOT, configFile: 'conf/httpd.conf' },
  resolve: posix.resolve,
};

/** Homebrew's prefixes: Apple silicon, then Intel. */
const HOMEBREW_PREFIXES = ['/opt/homebrew', '/usr/local'];
/** macOS's own Apache: /usr/sbin/httpd, ServerRoot /usr, configuration in /etc/apache2 (/private/etc). */
const MACOS_SYSTEM = { serverRoot: '/usr', configFile: '/etc/apache2/httpd.conf' };

function homebrewDefaults(prefix: string): { serverRoot: string; configFile: string } {
  return { serverRoot: `${prefix}/opt/httpd`, configFile: `${prefix}/etc/httpd/httpd.conf` };
}

/**
 * macOS: Homebrew's httpd (its compiled-in configuration is under the prefix's etc/httpd) when it runs from
 * the prefix (`opt/httpd/bin`, `Cellar/httpd/VERSION/bin`, `bin`), the system's /usr/sbin/httpd, a build
 * of its own under ROOT/bin; an httpd
 * started by a bare name, or under another name (mod_wsgi-express runs it as `httpd (mod_wsgi-express)` with
 * `-f`, which wins anyway), is taken to be the first of those whose configuration file exists.
 */
const macLayout: ApacheLayout = {
  defaults: (argv0, _comm, exists) => {
    const program = argv0.trimEnd();
    for (const prefix of HOMEBREW_PREFIXES) {
      const rest = program.startsWith(`${prefix}/`) ? program.slice(prefix.length) : '';
      if (/^\/(opt\/httpd\/bin|Cellar\/httpd\/[^/]+\/bin|bin|sbin)\/httpd$/.test(rest)) {
        return homebrewDefaults(prefix);
      }
    }
    // A build of its own (./configure --prefix=ROOT) keeps conf/httpd.conf under ROOT.
    const own = program === '/usr/sbin/httpd' ? undefined : /^(\/.+)\/bin\/httpd$/.exec(program)?.[1];
    if (own) return { serverRoot: own, configFile: 'conf/httpd.conf' };
    if (program.startsWith('/') || !exists) return MACOS_SYSTEM;
    const brew = HOMEBREW_PREFIXES.find((prefix) => exists(homebrewDefaults(prefix).configFile));
    return brew ? homebrewDefaults(brew) : MACOS_SYSTEM;
  },
  resolve: posix.resolve,
};

/** The Windows path rule, once: `file` read against `serverRoot` as Windows does, written with `/`. */
export function resolveWindowsPath(serverRoot: string, file: string): string {
  return win32.resolve(serverRoot, file).replaceAll('\\', '/');
}

/** A Windows Apache whose ServerRoot is `serverRoot` when its command line gives no -d, conf\\httpd.conf. */
export function windowsLayoutAt(serverRoot: string): ApacheLayout {
  return {
    defaults: () => ({ serverRoot: serverRoot.replaceAll('\\', '/'), configFile: 'conf/httpd.conf' }),
    resolve: resolveWindowsPath,
  };
}

/** Windows: ps-list gives no command line, so the usual install's ServerRoot and conf\\httpd.conf. */
const windowsLayout: ApacheLayout = windowsLayoutAt(WINDOWS_SERVER_ROOT);

/** The layout for the platform the processes run on (ProcessSource.os); tests pass their own. */
export function apacheLayout(platform: NodeJS.Platform): ApacheLayout {
  if (platform === 'win32') return windowsLayout;
  if (platform === 'darwin') return macLayout;
  return linuxLayout;
}

/**
 * Option letters that take an argument: AP_SERVER_BASEARGS (include/http_main.h, "C:c:D:d:E:e:f:vVlLtTSMh?X"),
 * plus `k:` that server/mpm_unix.c and `n:`/`k:` that server/mpm/winnt/mpm_winnt.c take out first.
 */
const TAKES_ARGUMENT = new Set(['C', 'c', 'D', 'd', 'E', 'e', 'f', 'k', 'n']);
/** Options that httpd turns into defines of its own (server/main.c). */
const IMPLIED_DEFINES: Record<string, string[]> = {
  X: ['DEBUG'],
  S: ['DUMP_VHOSTS', 'DUMP_RUN_CFG'],
  M: ['DUMP_MODULES'],
};

/** Calls `onOption` for each option of an httpd argv as apr_getopt reads it: flags may be grouped (`-tX`). */
export function readOptions(argv: string[], onOption: (letter: string, value: string | null) => void): void {
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    // apr_getopt stops at `--` and at the first word that is not an option.
    if (arg === '--' || !arg.startsWith('-') || arg === '-') return;
    for (let j = 1; j < arg.length; j++) {
      const letter = arg[j] as string;
      if (!TAKES_ARGUMENT.has(letter)) {
        onOption(letter, null);
        continue;
      }
      const value = j + 1 < arg.length ? arg.slice(j + 1) : argv[++i];
      if (value === undefined) return;
      onOption(letter, value);
      break;
    }
  }
}

/**
 * Reads `-d ROOT`, `-f FILE`, `-D NAME`, `-C`/`-c DIRECTIVE` from an Apache parent's argv, joined or apart,
 * never taking another option's argument (`-k start`, `-E file`, `-n name`) for a flag; without them, the
 * default of the platform's layout (Debian's apache2, RHEL's httpd, Homebrew or macOS's httpd, Windows'
 * C:/Apache24).
 */
export function parseApacheCommandLine(
  argv: string[],
  comm: string,
  layout: ApacheLayout = apacheLayout(process.platform),
  exists?: (path: string) => boolean,
): ApacheCommandLine {
  const defaults = layout.defaults(argv[0] ?? '', comm, exists);
  let serverRoot = defaults.serverRoot;
  let configFile: string | null = null;
  const defines = new Map<string, string>();
  const preDirectives: string[] = [];
  const postDirectives: string[] = [];
  readOptions(argv, (letter, value) => {
    for (const name of IMPLIED_DEFINES[letter] ?? []) defines.set(name, '');
    if (value === null) return;
    if (letter === 'd') serverRoot = value;
    else if (letter === 'f') configFile = value;
    else if (letter === 'D') defines.set(value, '');
    else if (letter === 'C') preDirectives.push(value);
    else if (letter === 'c') postDirectives.push(value);
  });
  const asGiven: string = configFile ?? defaults.configFile;
  return {
    configFile: layout.resolve(serverRoot, asGiven),
    serverRoot,
    configFileAsGiven: asGiven,
    defines,
    preDirectives,
    postDirectives,
  };
}
