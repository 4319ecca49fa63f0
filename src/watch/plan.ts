import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { usageError } from '../errors.js';
import {
  createDirFilter,
  createFilter,
  type FilterOptions,
  nativeIgnorePaths,
  type PathFilter,
  parseExtensions,
} from './filter.js';

/** What planning reads from the file system; an argument, so that a test or another caller picks it. */
export interface PlanFileSystem {
  /** The real path of an absolute path; throws when there is nothing there. */
  realpath: (path: string) => string;
  isDirectory: (path: string) => boolean;
  exists: (path: string) => boolean;
  /** A file's text, or undefined when it cannot be read (no .gitignore is the usual case). */
  readText: (path: string) => string | undefined;
}

export const NODE_FILE_SYSTEM: PlanFileSystem = {
  realpath: (path) => realpathSync(path),
  isDirectory: (path) => statSync(path).isDirectory(),
  exists: (path) => existsSync(path),
  readText: (path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** What `wsgictl watch PATH...` was asked to watch, as given. */
export interface WatchPlanRequest {
  paths: string[];
  /** The directory relative PATHs (and --touch) are read from. */
  cwd: string;
  /** --touch SCRIPT: it has to exist before watching starts, as the PATHs do. */
  touch?: string;
  /** --ext as given ("py,html"); undefined for the default list. */
  ext?: string;
  /** --ignore globs. */
  ignoreGlobs?: readonly string[];
}

/** What the watch loop subscribes to and how it tells the changes that count. */
export interface WatchPlan {
  /** Roots to subscribe to, none nested in another. */
  roots: string[];
  /** What the native watcher skips entirely (see nativeIgnorePaths). */
  nativeIgnore: string[];
  filter: PathFilter;
  /** For the poller: which directories to enter. */
  dirFilter: PathFilter;
  /** Each PATH's real path (and a file's folder) -> the PATH as given, which is how the output names them. */
  typed: Map<string, string>;
  /** --touch's script, absolute. */
  script?: string;
}

/**
 * Every PATH must exist before anything starts; directories are roots, files are watched singly. `typed`:
 * each one's real path (and a file's folder) -> the PATH as given.
 */
export function resolvePaths(
  paths: string[],
  cwd: string,
  fs: PlanFileSystem = NODE_FILE_SYSTEM,
): { dirs: string[]; files: string[]; typed: Map<string, string> } {
  const dirs: string[] = [];
  const files: string[] = [];
  const typed = new Map<string, string>();
  for (const path of paths) {
    let real: string;
    try {
      real = fs.realpath(resolve(cwd, path));
    } catch {
      throw usageError(
        `cannot watch "${path}": no such file or directory; pass a directory that exists (e.g. wsgictl watch ./src --group django)`,
      );
    }
    const isDir = fs.isDirectory(real);
    (isDir ? dirs : files).push(real);
    if (!typed.has(real)) typed.set(real, path);
    if (!isDir && !typed.has(dirname(real))) typed.set(dirname(real), dirname(path));
  }
  return { dirs, files, typed };
}

/** Roots to subscribe to: each directory and each file's folder, without ones nested in another. */
export function watchRoots(dirs: string[], files: string[]): string[] {
  const all = [...new Set([...dirs, ...files.map((file) => dirname(file))])].sort();
  return all.filter((root) => !all.some((other) => other !== root && root.startsWith(other + sep)));
}

/** `--ext`: the extensions that count, or undefined for the default list. */
function readExtensions(ext: string | undefined): string[] | undefined {
  if (ext === undefined) return undefined;
  const extensions = parseExtensions(ext);
  if (extensions.length === 0) throw usageError('--ext needs at least one extension, e.g. --ext py,html');
  return extensions;
}

/**
 * Checks --ext and the paths, then works out the roots and the changes that count: the always-ignored
 * names, each watched directory's .gitignore and --ignore. Throws a usage error for an empty --ext or a
 * path that does not exist.
 */
export function planWatch(request: WatchPlanRequest, fs: PlanFileSystem = NODE_FILE_SYSTEM): WatchPlan {
  const extensions = readExtensions(request.ext);
  const { dirs, files, typed } = resolvePaths(request.paths, request.cwd, fs);
  if (request.touch !== undefined) resolvePaths([request.touch], request.cwd, fs);
  const roots = watchRoots(dirs, files);
  const filterOptions: FilterOptions = {
    roots: dirs,
    files,
    extensions,
    ignoreGlobs: request.ignoreGlobs ?? [],
    readGitignore: (root) => fs.readText(`${root}/.gitignore`),
  };
  return {
    roots,
    nativeIgnore: nativeIgnorePaths(roots, fs.exists),
    filter: createFilter(filterOptions),
    dirFilter: createDirFilter(filterOptions),
    typed,
    script: request.touch === undefined ? undefined : resolve(request.cwd, request.touch),
  };
}
