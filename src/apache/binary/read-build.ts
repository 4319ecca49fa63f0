import { execFile } from 'node:child_process';
import { lstatSync } from 'node:fs';
import type { ApacheBuild } from './apache-build.js';
import { parseBuildBytes } from './bytes.js';
import { chooseCacheDir, mergeEntries, openCacheDir, readCache, writeCache } from './cache.js';
import { inspectPath, readExecutableBytes } from './executable.js';
import { type ExecutableFacts, judgeRun } from './run-rules.js';

const ASK_TIMEOUT_MS = 3000;
const USED_REFRESH_MS = 60 * 60 * 1000;

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
  /** Where answers are kept (default: chooseCacheDir's choice); null: no cache. */
  cacheDir?: string | null;
  run?: RunBinary;
  /** The caller's effective uid: cache files and folders owned by anyone else are ignored. */
  uid?: number;
  now?: () => number;
}

/** The instance whose build is wanted: its executable, its mount namespace, and whether it is trusted. */
export interface BuildSubject {
  executable: ExecutableFacts | null;
  /** '' when it shares our mount namespace. */
  fileRoot: string;
  trusted: boolean;
}

function ownerOf(path: string): number | null {
  try {
    const stat = lstatSync(path);
    return stat.isDirectory() ? stat.uid : null;
  } catch {
    return null;
  }
}

function defaultCacheDir(euid: number): string | null {
  // Turning the cache off is all an environment variable may do: where it lives is never the caller's to say.
  if (process.env.WSGICTL_NO_CACHE === '1') return null;
  return chooseCacheDir({ euid, env: process.env, home: process.env.HOME ?? '', ownerOf });
}

const UNKNOWN: ApacheBuild = { modules: null, version: null };

/** The path to run for -l/-v, or null when running it could mean running what a user or container wrote. */
export function findRunnablePath(subject: BuildSubject): string | null {
  const { executable } = subject;
  if (executable === null) return null;
  const { pathStat, folders } =
    subject.fileRoot === '' && !executable.deleted && subject.trusted
      ? inspectPath(executable.path)
      : { pathStat: null, folders: [] };
  const refusal = judgeRun({
    executable,
    fileRoot: subject.fileRoot,
    pathStat,
    folders,
    trusted: subject.trusted,
  });
  return refusal === null ? executable.path : null;
}

/**
 * What an Apache binary says of itself: compiled-in modules and version. Asked with `-l`/`-v` only when
 * judgeRun allows (root's own file, in root's folders, the very inode the process runs, our namespace);
 * otherwise read out of its bytes through the pinned /proc/PID/exe, never executed. Cached per file
 * (dev, inode, size, mtime). Any failure gives null fields (undecided), never a throw.
 */
export async function readApacheBuild(
  subject: BuildSubject,
  options: BuildCacheOptions = {},
): Promise<ApacheBuild> {
  const stat = subject.executable?.stat;
  if (!subject.executable || !stat) return UNKNOWN;
  const runnable = findRunnablePath(subject);
  const key = `${runnable === null ? 'bytes' : 'run'}:${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  const uid = options.uid ?? process.geteuid?.() ?? -1;
  const wanted = options.cacheDir === undefined ? defaultCacheDir(uid) : options.cacheDir;
  const dir = wanted === null ? null : openCacheDir(wanted, uid);
  const entries = dir === null ? [] : readCache(dir, uid);
  const now = options.now?.() ?? Date.now();
  const cached = entries.find((entry) => entry.key === key);
  let build: ApacheBuild;
  if (cached) {
    build = { modules: new Set(cached.modules), version: cached.version };
  } else if (runnable !== null) {
    const run = options.run ?? runBinary;
    const [list, version] = await Promise.all([run(runnable, ['-l']), run(runnable, ['-v'])]);
    build = {
      modules: list === null ? null : parseModuleList(list),
      version: version === null ? null : parseVersion(version),
    };
  } else {
    const bytes = readExecutableBytes(subject.executable);
    build = bytes === null ? UNKNOWN : parseBuildBytes(bytes);
  }
  if (dir !== null && build.modules !== null && build.version !== null) {
    const entry = { key, modules: [...build.modules], version: build.version, usedAtMs: now };
    // Refreshing usedAtMs at most hourly keeps a warm `ps` from writing on every run.
    if (!cached || now - cached.usedAtMs > USED_REFRESH_MS) writeCache(dir, mergeEntries(entries, entry));
  }
  return build;
}
