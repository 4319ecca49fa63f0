import { readdirSync, readFileSync, statSync } from 'node:fs';

/**
 * The file system as an Apache instance sees it (its mount namespace). Injected so that reading a
 * configuration is a pure function of the files' contents, and so that tests need no disk.
 */
export interface FileView {
  /** Throws a NodeJS.ErrnoException (ENOENT, EACCES, ...) like readFileSync. */
  readText(path: string): string;
  /** Names in a directory; throws like readdirSync. */
  readDir(path: string): string[];
  /** Throws like statSync; `changedMs` is the later of mtime and ctime, which no user can set back. */
  stat(path: string): { isDirectory: boolean; changedMs: number };
}

/**
 * Paths are as Apache sees them; `root` ('' for this machine's own view, or `/proc/PID/root` for an Apache
 * in another mount namespace) is put in front of every access.
 */
export function hostFiles(root = ''): FileView {
  return {
    readText: (path) => readFileSync(`${root}${path}`, 'utf8'),
    readDir: (path) => readdirSync(`${root}${path}`),
    stat: (path) => {
      const stat = statSync(`${root}${path}`);
      return { isDirectory: stat.isDirectory(), changedMs: Math.max(stat.mtimeMs, stat.ctimeMs) };
    },
  };
}

/** An in-memory FileView: path -> text, directories implied by the paths (for tests and examples). */
export function memoryFiles(contents: Record<string, string>, changedMs = 0): FileView {
  const files = new Map(Object.entries(contents));
  const isDir = (path: string) =>
    [...files.keys()].some((file) => file.startsWith(`${path.replace(/\/$/, '')}/`));
  const missing = (path: string) => Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  return {
    readText: (path) => {
      const text = files.get(path);
      if (text === undefined) throw missing(path);
      return text;
    },
    readDir: (path) => {
      if (!isDir(path)) throw missing(path);
      const prefix = `${path.replace(/\/$/, '')}/`;
      const names = [...files.keys()]
        .filter((f) => f.startsWith(prefix))
        .map((f) => f.slice(prefix.length).split('/')[0] as string);
      return [...new Set(names)];
    },
    stat: (path) => {
      if (files.has(path)) return { isDirectory: false, changedMs };
      if (isDir(path) || path === '/') return { isDirectory: true, changedMs };
      throw missing(path);
    },
  };
}
