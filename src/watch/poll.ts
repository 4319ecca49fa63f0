import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PathFilter } from './filter.js';

/** `--poll` without a value. */
export const DEFAULT_POLL_MS = 1000;

/** path -> "size:mtimeMs" of every file that passes the filter. */
export type Snapshot = Map<string, string>;

export interface PollOptions {
  roots: string[];
  /** Whether a file counts; only counted files are stat'ed. */
  filter: PathFilter;
  /** Whether to enter a directory. */
  dirFilter: PathFilter;
  intervalMs: number;
  onChanges: (paths: string[]) => void;
  onError: (error: Error) => void;
}

/** Paths added, removed, or whose size or mtime moved, between two scans. */
export function diffSnapshots(before: Snapshot, after: Snapshot): string[] {
  const changed: string[] = [];
  for (const [path, stamp] of after) if (before.get(path) !== stamp) changed.push(path);
  for (const path of before.keys()) if (!after.has(path)) changed.push(path);
  return changed;
}

/** Walks the roots and stats only the files that pass the filter; vanished entries are skipped. */
export async function scanTree(
  roots: string[],
  filter: PathFilter,
  dirFilter: PathFilter,
): Promise<Snapshot> {
  const snapshot: Snapshot = new Map();
  const walk = async (dir: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // removed or unreadable between two scans: its files show up as removed
    }
    const files: string[] = [];
    const dirs: string[] = [];
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (dirFilter(path)) dirs.push(path);
      } else if (filter(path)) files.push(path);
    }
    await Promise.all(
      files.map(async (path) => {
        try {
          const info = await stat(path);
          snapshot.set(path, `${info.size}:${info.mtimeMs}`);
        } catch {
          // gone since readdir
        }
      }),
    );
    for (const sub of dirs) await walk(sub);
  };
  for (const root of roots) await walk(root);
  return snapshot;
}

/**
 * For network filesystems and when inotify runs out: compares size and mtime of the filtered files
 * every `intervalMs`. Scans never overlap (the next one is scheduled when the last one ends).
 */
export async function startPolling(options: PollOptions): Promise<{ close: () => Promise<void> }> {
  let previous = await scanTree(options.roots, options.filter, options.dirFilter);
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let scanning: Promise<void> | undefined;
  const tick = (): void => {
    scanning = (async () => {
      try {
        const next = await scanTree(options.roots, options.filter, options.dirFilter);
        const changed = diffSnapshots(previous, next);
        previous = next;
        if (changed.length > 0 && !closed) options.onChanges(changed);
      } catch (error) {
        options.onError(error as Error);
      }
    })().then(() => {
      scanning = undefined;
      if (!closed) timer = setTimeout(tick, options.intervalMs);
    });
  };
  timer = setTimeout(tick, options.intervalMs);
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      await scanning;
    },
  };
}
