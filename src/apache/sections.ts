import type { DaemonGroupConfig } from './config.js';

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
    file,
    line,
  };
}
