import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** What the instance's binary says about itself; null fields = could not be learnt. */
export interface ApacheBuild {
  /** Compiled-in modules as `httpd -l` prints them (`core.c`, `mod_so.c`, `http_core.c`, `mod_version.c`, ...). */
  modules: Set<string> | null;
  /** `2.4.62` from `httpd -v` ("Server version: Apache/2.4.62 (Debian)"); a development build keeps `-dev`. */
  version: string | null;
}

const ASK_TIMEOUT_MS = 3000;
const CACHE_FILE = 'apache-builds.json';

/** The compiled-in modules in `httpd -l` output (`  mod_so.c` lines under "Compiled in modules:"). */
export function parseModuleList(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => /^[\w.-]+\.c$/.test(line)),
  );
}

/**
 * `2.4.62` out of `httpd -v` ("Server version: Apache/2.4.62 (Debian)"). A suffix the build carries
 * (`2.4.63-dev`) is kept: mod_version matches `<IfVersion ~ ...>` expressions against it too.
 */
export function parseVersion(text: string): string | null {
  return /^Server version:\s*[^/\s]+\/(\d+\.\d+\.\d+\S*)/m.exec(text)?.[1] ?? null;
}

export type RunBinary = (file: string, args: string[]) => Promise<string | null>;

const runBinary: RunBinary = (file, args) =>
  new Promise((resolve) => {
    // No configuration is read for -v and -l; an empty environment keeps distro wrappers quiet.
    execFile(file, args, { timeout: ASK_TIMEOUT_MS, env: {} }, (error, stdout) =>
      resolve(error ? null : stdout),
    );
  });

export interface BuildCacheOptions {
  /** Where answers are kept (default $XDG_CACHE_HOME/wsgictl or ~/.cache/wsgictl); null: no cache. */
  cacheDir?: string | null;
  run?: RunBinary;
  /** The caller's effective uid: a cache file owned by anyone else is ignored. */
  uid?: number;
}

function defaultCacheDir(): string | null {
  const base = process.env.XDG_CACHE_HOME || (homedir() ? join(homedir(), '.cache') : '');
  return base ? join(base, 'wsgictl') : null;
}

interface CacheEntry {
  key: string;
  modules: string[];
  version: string | null;
}

function readCache(file: string, uid: number | undefined): Record<string, CacheEntry> {
  try {
    // It decides which socket means which group: only a file the caller wrote itself is believed.
    if (uid !== undefined && statSync(file).uid !== uid) return {};
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, CacheEntry>;
  } catch {
    return {};
  }
}

/** Makes the folder and its parent, one level at a time (a recursive mkdir can spin forever under /proc). */
function makeCacheDir(dir: string): void {
  for (const path of [dirname(dir), dir]) {
    try {
      mkdirSync(path, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

function writeCache(dir: string, file: string, entries: Record<string, CacheEntry>): void {
  try {
    makeCacheDir(dir);
    const temporary = `${file}.${process.pid}`;
    writeFileSync(temporary, JSON.stringify(entries), { mode: 0o600 });
    renameSync(temporary, file);
  } catch {
    // a read-only home only costs the next run two short spawns
  }
}

/**
 * What an Apache binary says about itself: `-l` (compiled-in modules) and `-v` (version), asked in
 * parallel, cached per (path, size, mtime, inode) so that `ps` spawns nothing while the binary stays the
 * same. Any failure gives null fields, never a throw.
 */
export async function readApacheBuild(
  binary: string | null,
  options: BuildCacheOptions = {},
): Promise<ApacheBuild> {
  if (binary === null) return { modules: null, version: null };
  let key: string;
  try {
    const stat = statSync(binary);
    key = `${stat.size}:${stat.mtimeMs}:${stat.ino}`;
  } catch {
    return { modules: null, version: null };
  }
  const dir = options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir;
  const uid = options.uid ?? process.geteuid?.();
  const file = dir === null ? null : join(dir, CACHE_FILE);
  const entries = file === null ? {} : readCache(file, uid);
  const cached = entries[binary];
  if (cached?.key === key) return { modules: new Set(cached.modules), version: cached.version };

  const run = options.run ?? runBinary;
  const [list, version] = await Promise.all([run(binary, ['-l']), run(binary, ['-v'])]);
  const build: ApacheBuild = {
    modules: list === null ? null : parseModuleList(list),
    version: version === null ? null : parseVersion(version),
  };
  if (dir !== null && file !== null && build.modules !== null && build.version !== null) {
    writeCache(dir, file, {
      ...entries,
      [binary]: { key, modules: [...build.modules], version: build.version },
    });
  }
  return build;
}
