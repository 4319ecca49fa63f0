import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * What -l/-v (or the binary's bytes) said, per executable file. It decides which `<IfModule>` sections count,
 * hence which socket id means which group: only a file the caller wrote itself, in a folder no one else can
 * enter, is believed.
 */
export interface CacheEntry {
  /** `run:DEV:INO:SIZE:MTIME` or `bytes:...`: the file itself, not a path a container or user could reuse. */
  key: string;
  modules: string[];
  version: string | null;
  usedAtMs: number;
}

const CACHE_FILE = 'apache-builds.json';
/** Oldest entries beyond this are dropped: one per httpd build on the machine is all it needs. */
export const CACHE_MAX_ENTRIES = 64;
const CACHE_MAX_BYTES = 1024 * 1024;
/** root's cache: /run is root's own tmpfs, emptied at boot, never under a HOME another user may own. */
export const ROOT_CACHE_DIR = '/run/wsgictl';

export interface CacheEnvironment {
  euid: number;
  env: NodeJS.ProcessEnv;
  home: string;
  /** The owner of a folder (lstat), or null when it is missing or not a real folder. */
  ownerOf: (path: string) => number | null;
}

/**
 * Where the cache lives, or null for none. root: /run/wsgictl only, whatever HOME says (sudo -E, su -m and
 * cron keep another user's HOME, whose folders that user can swap for symlinks). Anyone else: their
 * XDG_CACHE_HOME or ~/.cache, and only when they own that home themselves.
 */
export function chooseCacheDir(environment: CacheEnvironment): string | null {
  const { euid, env, home } = environment;
  if (euid === 0) return ROOT_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || (home ? join(home, '.cache') : '');
  if (!base || !home || environment.ownerOf(home) !== euid) return null;
  if (env.XDG_CACHE_HOME && environment.ownerOf(dirname(base)) !== euid) return null;
  return join(base, 'wsgictl');
}

/** Whether lstat facts describe a folder that is the caller's alone (0700-like, not a symlink). */
export function isPrivateFolder(
  stat: { isDirectory: boolean; uid: number; mode: number },
  euid: number,
): boolean {
  return stat.isDirectory && stat.uid === euid && (stat.mode & 0o077) === 0;
}

/** Whether fstat facts describe a cache file the caller may believe. */
export function isTrustedCacheFile(
  stat: { isFile: boolean; uid: number; mode: number; size: number },
  euid: number,
): boolean {
  return stat.isFile && stat.uid === euid && (stat.mode & 0o022) === 0 && stat.size <= CACHE_MAX_BYTES;
}

/** Makes the folder (and its parent, one level at a time: a recursive mkdir can spin under /proc), then checks it. */
export function openCacheDir(dir: string, euid: number): string | null {
  for (const path of [dirname(dir), dir]) {
    try {
      mkdirSync(path, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return null;
    }
  }
  try {
    const stat = lstatSync(dir);
    return isPrivateFolder({ isDirectory: stat.isDirectory(), uid: stat.uid, mode: stat.mode }, euid)
      ? dir
      : null;
  } catch {
    return null;
  }
}

function isEntry(value: unknown): value is CacheEntry {
  const entry = value as CacheEntry;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    typeof entry.key === 'string' &&
    Array.isArray(entry.modules) &&
    entry.modules.every((name) => typeof name === 'string') &&
    (entry.version === null || typeof entry.version === 'string') &&
    typeof entry.usedAtMs === 'number'
  );
}

/** The entries, read through one fd opened without following a symlink, believed only if fstat says ours. */
export function readCache(dir: string, euid: number): CacheEntry[] {
  let fd: number;
  try {
    fd = openSync(join(dir, CACHE_FILE), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return [];
  }
  try {
    const stat = fstatSync(fd);
    const facts = { isFile: stat.isFile(), uid: stat.uid, mode: stat.mode, size: stat.size };
    if (!isTrustedCacheFile(facts, euid)) return [];
    const buffer = Buffer.alloc(stat.size);
    const count = readSync(fd, buffer, 0, buffer.length, 0);
    const parsed: unknown = JSON.parse(buffer.toString('utf8', 0, count));
    return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
  } catch {
    return [];
  } finally {
    closeSync(fd);
  }
}

/** The newest CACHE_MAX_ENTRIES entries, `entry` replacing any with its key. */
export function mergeEntries(entries: CacheEntry[], entry: CacheEntry): CacheEntry[] {
  return [entry, ...entries.filter((old) => old.key !== entry.key)]
    .sort((a, b) => b.usedAtMs - a.usedAtMs)
    .slice(0, CACHE_MAX_ENTRIES);
}

/** Writes a new file under a random name (O_EXCL, O_NOFOLLOW: never an existing file) and renames it in place. */
export function writeCache(dir: string, entries: CacheEntry[]): void {
  const temporary = join(dir, `.${CACHE_FILE}.${randomBytes(8).toString('hex')}`);
  let fd: number;
  try {
    fd = openSync(
      temporary,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o600,
    );
  } catch {
    return; // a read-only or foreign folder only costs the next run the same work again
  }
  try {
    writeSync(fd, JSON.stringify(entries));
    closeSync(fd);
    renameSync(temporary, join(dir, CACHE_FILE));
  } catch {
    try {
      closeSync(fd);
    } catch {}
    try {
      unlinkSync(temporary);
    } catch {}
  }
}
