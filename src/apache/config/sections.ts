import type { ApacheCommandLine, ApacheConfig, DaemonGroupConfig } from './model.js';
import type { Sites } from './sites.js';

/** Directives that can change which groups Apache defines, or how wsgictl reads them. */
export const RELEVANT = new Set([
  'wsgidaemonprocess',
  'wsgisocketprefix',
  'wsgisocketrotation',
  'include',
  'includeoptional',
  'define',
  'undefine',
  'loadmodule',
  'serverroot',
  'user',
  'group',
  'pidfile',
  'coredumpdirectory',
]);

/** Sections whose body applies per request or per path: WSGIDaemonProcess is not allowed there. */
export const PER_DIRECTORY = new Set([
  'directory',
  'directorymatch',
  'location',
  'locationmatch',
  'files',
  'filesmatch',
  'proxy',
  'proxymatch',
  'if',
  'elseif',
  'else',
  'limit',
  'limitexcept',
]);

export interface Frame {
  /** Lower-case section name. */
  name: string;
  /** The section as written, for messages. */
  text: string;
  file: string;
  line: number;
  /** Whether directives inside are read. */
  active: boolean;
  perDirectory: boolean;
  /** The outermost section that made this one inactive, and whether it was undecided rather than false. */
  skippedBy: Frame | null;
  undecided: string | null;
  doubted: boolean;
}

function toCount(value: string | undefined, fallback: number): number {
  const count = Number(value);
  return Number.isInteger(count) && count > 0 ? count : fallback;
}

export function parseDaemonProcess(
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
    pythonHome: option.get('python-home') ?? null,
    pythonPath: (option.get('python-path') ?? '').split(':').filter(Boolean),
    home: option.get('home') ?? null,
    file,
    line,
  };
}

/** A configuration before anything is read. */
export function createConfig(commandLine: ApacheCommandLine, sites: Sites): ApacheConfig {
  return {
    configFile: commandLine.configFile,
    serverRoot: commandLine.serverRoot,
    socketPrefix: null,
    groups: [],
    skippedGroups: [],
    doubts: [],
    user: null,
    group: null,
    pidFile: null,
    coreDumpDirectory: null,
    files: [],
    consulted: [],
    warnings: [],
    sites,
    wsgiModule: null,
  };
}

/** Where a directive was read: its file and line, and whether it sits in a per-directory section. */
export interface Place {
  file: string;
  line: number;
  perDirectory: boolean;
}

/**
 * Applies a directive httpd applies after reading (not EXEC_ON_READ): the server's settings and its daemon
 * groups. In a per-directory section (`<Directory>`, `<If>`, ...) they are refused, and Apache with them.
 */
export function applySetting(
  config: ApacheConfig,
  name: string,
  words: string[],
  place: Place,
  absolute: (path: string) => string,
): void {
  const [first] = words;
  if (place.perDirectory) {
    if (name === 'wsgidaemonprocess')
      config.warnings.push(
        `${place.file}:${place.line}: WSGIDaemonProcess is not allowed in a per-directory section; Apache would not start with it`,
      );
  } else if (name === 'serverroot' && first) config.serverRoot = first;
  else if (name === 'wsgisocketprefix' && first) config.socketPrefix = absolute(first);
  else if (name === 'user' && first) config.user = first;
  else if (name === 'group' && first) config.group = first;
  else if (name === 'pidfile' && first) config.pidFile = absolute(first);
  else if (name === 'coredumpdirectory' && first) config.coreDumpDirectory = absolute(first);
  else if (name === 'wsgipythonhome' && first) config.pythonHome = first;
  else if (name === 'wsgidaemonprocess') {
    const group = parseDaemonProcess(words, config.groups.length + 1, place.file, place.line);
    if (group) config.groups.push(group);
  }
}
