import { listInside, MAX_FILE_BYTES, type ReadBudget, readRegularText, statInside } from './safe-files.js';

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
  stat(path: string): { isDirectory: boolean; changedMs: number; id?: string };
}

/**
 * Paths are as Apache sees them; `root` ('' for this machine's own view, or `/proc/PID/root` for an Apache
 * in another mount namespace) is where they are resolved, links and `..` staying inside it (safe-files.ts).
 * Only regular files are read, each at most MAX_FILE_BYTES; with a `budget`, all reads together are capped
 * and time-limited (a ReadLimitError).
 */
export function hostFiles(root = '', budget?: ReadBudget): FileView {
  return {
    readText: (path) => {
      budget?.checkTime();
      const text = readRegularText(root, path, MAX_FILE_BYTES);
      budget?.charge(text.length);
      return text;
    },
    readDir: (path) => {
      budget?.checkTime();
      return listInside(root, path);
    },
    stat: (path) => {
      budget?.checkTime();
      return statInside(root, path);
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
