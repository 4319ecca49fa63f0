import { readFileSync } from 'node:fs';
import { isAbsolute, posix, resolve, win32 } from 'node:path';
import { expandInclude } from './glob.js';
import { splitDirectives, splitWords } from './tokenize.js';

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
  file: string;
  line: number;
}

export interface ApacheConfig {
  configFile: string;
  serverRoot: string;
  socketPrefix: string | null;
  groups: DaemonGroupConfig[];
  /** Every file read, in order. */
  files: string[];
  warnings: string[];
}

export interface ApacheCommandLine {
  configFile: string;
  serverRoot: string;
  defines: Map<string, string>;
}

const DEBIAN_ROOT = '/etc/apache2';
const RHEL_ROOT = '/etc/httpd';
const MAX_INCLUDE_DEPTH = 32;

/** The ServerRoot of the Apache Lounge / ApacheHaus Windows builds (`Define SRVROOT "c:/Apache24"`). */
export const WINDOWS_SERVER_ROOT = 'C:/Apache24';

/** Where an Apache keeps its configuration when its command line does not say: one answer per platform. */
export interface ApacheLayout {
  /** ServerRoot and the configuration file (relative to it, or absolute) for this program. */
  defaults(argv0: string, comm: string): { serverRoot: string; configFile: string };
  resolve(serverRoot: string, file: string): string;
}

const linuxLayout: ApacheLayout = {
  defaults: (_argv0, comm) =>
    comm.startsWith('apache2')
      ? { serverRoot: DEBIAN_ROOT, configFile: 'apache2.conf' }
      : { serverRoot: RHEL_ROOT, configFile: 'conf/httpd.conf' },
  resolve: posix.resolve,
};

/**
 * macOS: Homebrew's httpd (compiled-in config under the prefix's etc/httpd: /opt/homebrew on Apple silicon,
 * /usr/local on Intel) or the system's /usr/sbin/httpd (/etc/apache2/httpd.conf, ServerRoot /usr).
 */
const macLayout: ApacheLayout = {
  defaults: (argv0) => {
    const brew = /^(\/opt\/homebrew|\/usr\/local)\//.exec(argv0)?.[1];
    if (brew) return { serverRoot: `${brew}/opt/httpd`, configFile: `${brew}/etc/httpd/httpd.conf` };
    return { serverRoot: '/usr', configFile: '/etc/apache2/httpd.conf' };
  },
  resolve: posix.resolve,
};

/** Windows: ps-list gives no command line, so the usual install's ServerRoot and conf\\httpd.conf. */
const windowsLayout: ApacheLayout = {
  defaults: () => ({ serverRoot: WINDOWS_SERVER_ROOT, configFile: 'conf/httpd.conf' }),
  resolve: (serverRoot, file) => win32.resolve(serverRoot, file).replaceAll('\\', '/'),
};

/** The layout for a platform; chosen once below for this machine, passed in by tests. */
export function apacheLayout(platform: NodeJS.Platform): ApacheLayout {
  if (platform === 'win32') return windowsLayout;
  if (platform === 'darwin') return macLayout;
  return linuxLayout;
}

const PLATFORM_LAYOUT = apacheLayout(process.platform);

/**
 * Reads `-d ROOT`, `-f FILE` and `-D NAME` from an Apache parent's argv; without them, the default of the
 * platform's layout (Debian's apache2, RHEL's httpd, Homebrew or macOS's httpd, Windows' C:/Apache24).
 */
export function parseApacheCommandLine(
  argv: string[],
  comm: string,
  layout: ApacheLayout = PLATFORM_LAYOUT,
): ApacheCommandLine {
  const defaults = layout.defaults(argv[0] ?? '', comm);
  let serverRoot = defaults.serverRoot;
  let configFile: string | null = null;
  const defines = new Map<string, string>();
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] as string;
    const flag = arg.slice(0, 2);
    if (flag !== '-d' && flag !== '-f' && flag !== '-D') continue;
    const value = arg.length > 2 ? arg.slice(2) : argv[++i];
    if (value === undefined) break;
    if (flag === '-d') serverRoot = value;
    else if (flag === '-f') configFile = value;
    else defines.set(value, '');
  }
  configFile ??= defaults.configFile;
  return { configFile: layout.resolve(serverRoot, configFile), serverRoot, defines };
}

function substitute(text: string, defines: Map<string, string>, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => defines.get(name) ?? env[name] ?? whole);
}

function toCount(value: string | undefined, fallback: number): number {
  const count = Number(value);
  return Number.isInteger(count) && count > 0 ? count : fallback;
}

function parseDaemonProcess(
  words: string[],
  id: number,
  file: string,
  line: number,
): DaemonGroupConfig | null {
  const [name, ...options] = words;
  if (!name) return null;
  const option = new Map<string, string>();
  for (const word of options) {
    const equals = word.indexOf('=');
    if (equals > 0) option.set(word.slice(0, equals).toLowerCase(), word.slice(equals + 1));
  }
  return {
    id,
    name,
    processes: toCount(option.get('processes'), 1),
    threads: toCount(option.get('threads'), 15),
    user: option.get('user') ?? null,
    group: option.get('group') ?? null,
    displayName: option.get('display-name') ?? null,
    file,
    line,
  };
}

/**
 * Reads an Apache configuration with its Include/IncludeOptional files, in the order Apache reads them,
 * and collects every WSGIDaemonProcess and WSGISocketPrefix. Conditional sections are read as if true:
 * a group inside `<IfModule>` still counts. `env` stands in for the parent's environment (Debian's envvars).
 */
export function loadApacheConfig(commandLine: ApacheCommandLine, env: NodeJS.ProcessEnv = {}): ApacheConfig {
  const defines = new Map(commandLine.defines);
  const config: ApacheConfig = {
    configFile: commandLine.configFile,
    serverRoot: commandLine.serverRoot,
    socketPrefix: null,
    groups: [],
    files: [],
    warnings: [],
  };

  const readFile = (file: string, depth: number, optional: boolean): void => {
    if (depth > MAX_INCLUDE_DEPTH) {
      config.warnings.push(`includes nest deeper than ${MAX_INCLUDE_DEPTH} at ${file}; not read`);
      return;
    }
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if (!optional) config.warnings.push(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code}`);
      return;
    }
    config.files.push(file);
    for (const { directive, args, line } of splitDirectives(text)) {
      const name = directive.toLowerCase();
      if (name === 'define') {
        const [key, value = ''] = splitWords(substitute(args, defines, env));
        if (key) defines.set(key, value);
        continue;
      }
      const words = splitWords(substitute(args, defines, env));
      if (name === 'serverroot' && words[0]) {
        config.serverRoot = words[0];
      } else if (name === 'include' || name === 'includeoptional') {
        for (const pattern of words) {
          const path = isAbsolute(pattern) ? pattern : resolve(config.serverRoot, pattern);
          for (const included of expandInclude(path))
            readFile(included, depth + 1, name === 'includeoptional');
        }
      } else if (name === 'wsgisocketprefix' && words[0]) {
        config.socketPrefix = resolve(config.serverRoot, words[0]);
      } else if (name === 'wsgidaemonprocess') {
        const group = parseDaemonProcess(words, config.groups.length + 1, file, line);
        if (group) config.groups.push(group);
      }
    }
  };

  readFile(commandLine.configFile, 0, false);
  return config;
}
