import { existsSync } from 'node:fs';
import { basename, isAbsolute, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { ALWAYS_IGNORED_DIRS, ALWAYS_IGNORED_FILES } from '../files/ignored.js';

/** What counts as source by default: Python, the WSGI script, templates and configuration. */
export const DEFAULT_EXTENSIONS = [
  'py',
  'wsgi',
  'html',
  'htm',
  'jinja',
  'jinja2',
  'j2',
  'txt',
  'ini',
  'cfg',
  'conf',
  'toml',
  'yaml',
  'yml',
  'json',
  'env',
] as const;

export interface FilterOptions {
  /** Absolute watched roots (directories). */
  roots: string[];
  /** Absolute files named on the command line: they always count, whatever their extension. */
  files?: readonly string[];
  /** Extensions without the dot; replaces DEFAULT_EXTENSIONS. */
  extensions?: readonly string[];
  /** Extra gitignore-style globs (`--ignore`), matched relative to each root. */
  ignoreGlobs?: readonly string[];
  /** Reads ROOT/.gitignore, or undefined when there is none; injected so the filter stays pure. */
  readGitignore: (root: string) => string | undefined;
}

/** Decides whether a changed path counts. `path` is absolute; directories are never "changes". */
export type PathFilter = (path: string) => boolean;

/** "py,.html, TXT" -> ['py', 'html', 'txt']; an empty list is a usage error for the caller. */
export function parseExtensions(list: string): string[] {
  return list
    .split(',')
    .map((item) =>
      item
        .trim()
        .replace(/^\*?\./, '')
        .toLowerCase(),
    )
    .filter((item) => item.length > 0);
}

function extensionOf(path: string): string {
  const name = basename(path);
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/**
 * What @parcel/watcher skips entirely: the always-ignored directories that exist at the top of each root,
 * as absolute paths (a cheap prefix test in the native crawl). No pattern for deeper ones: the native side
 * runs every pattern over every path of its initial crawl (one RegExp made a 50,000-file tree take 1.6
 * times as long to get ready, a glob per directory 9 times), so a nested node_modules or venv is watched
 * but its changes are dropped by the filter. `exists` is injected by tests.
 */
export function nativeIgnorePaths(roots: string[], exists: (path: string) => boolean = existsSync): string[] {
  return roots.flatMap((root) =>
    ALWAYS_IGNORED_DIRS.map((dir) => join(root, dir)).filter((path) => exists(path)),
  );
}

/** One gitignore-semantics matcher per root: the always-ignored rules, the root's .gitignore, --ignore. */
function buildMatcher(root: string, options: FilterOptions): Ignore {
  const matcher = ignore().add([...ALWAYS_IGNORED_DIRS.map((dir) => `${dir}/`), ...ALWAYS_IGNORED_FILES]);
  const gitignore = options.readGitignore(root);
  if (gitignore !== undefined) matcher.add(gitignore);
  if (options.ignoreGlobs) matcher.add([...options.ignoreGlobs]);
  return matcher;
}

/** Builds the filter once; it is called for every event, so it only does string work. */
export function createFilter(options: FilterOptions): PathFilter {
  const extensions = new Set(options.extensions ?? DEFAULT_EXTENSIONS);
  // Longest root first, so a nested root's own .gitignore wins for its files.
  const roots = [...options.roots]
    .sort((a, b) => b.length - a.length)
    .map((root) => ({ root, matcher: buildMatcher(root, options) }));
  const files = new Set(options.files ?? []);
  return (path) => {
    if (files.has(path)) return true;
    if (!extensions.has(extensionOf(path))) return false;
    for (const { root, matcher } of roots) {
      const rel = relative(root, path);
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
      return !matcher.ignores(sep === '/' ? rel : rel.split(sep).join('/'));
    }
    return false;
  };
}

/** For the poller's walk: whether a directory (absolute) should be entered at all. */
export function createDirFilter(options: FilterOptions): PathFilter {
  const roots = [...options.roots]
    .sort((a, b) => b.length - a.length)
    .map((root) => ({ root, matcher: buildMatcher(root, options) }));
  return (path) => {
    for (const { root, matcher } of roots) {
      const rel = relative(root, path);
      if (rel === '') return true;
      if (rel.startsWith('..') || isAbsolute(rel)) continue;
      return !matcher.ignores(`${sep === '/' ? rel : rel.split(sep).join('/')}/`);
    }
    return false;
  };
}
