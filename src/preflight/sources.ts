import { posix } from 'node:path';
import { ALWAYS_IGNORED_DIRS, ALWAYS_IGNORED_FILES } from '../files/ignored.js';

/** Changed `.py` files compiled at most; more are named as a bound that was hit, not checked silently. */
export const MAX_CHANGED_FILES = 2_000;
/** Folder entries looked at in all, over every root. */
export const MAX_WALK_ENTRIES = 200_000;
/** How deep below a root the walk goes. */
export const MAX_WALK_DEPTH = 32;
/** Wall time the walk may take. */
export const WALK_BUDGET_MS = 5_000;

/** Folders that hold installed packages, not the application: a release does not change them. */
const PACKAGE_DIRS = new Set(['site-packages', 'dist-packages']);
const IGNORED_DIRS = new Set<string>([...ALWAYS_IGNORED_DIRS, ...PACKAGE_DIRS]);

/** The file system as the walk sees it; tests hand in their own. */
export interface SourceFs {
  /** stat following links (a root such as `current -> releases/42`), or null when it is not there. */
  stat(path: string): EntryFacts | null;
  /** lstat: an entry inside a root is never followed when it is a link to a folder. */
  lstat(path: string): EntryFacts | null;
  /** The names in a folder, or null when it cannot be listed. */
  list(path: string): string[] | null;
  now(): number;
}

export interface EntryFacts {
  isDirectory: boolean;
  isFile: boolean;
  isLink: boolean;
  mtimeMs: number;
  /** dev:ino, so that a folder reached twice (home= inside python-path=) is walked once. */
  id: string;
}

export interface SourceRoots {
  /** The WSGI scripts: always compiled, changed or not. */
  scripts: string[];
  /** python-path= entries, home= and the scripts' folders. */
  folders: string[];
}

export interface SourceSelection {
  files: string[];
  /** Bounds that were hit and roots that could not be read, each one line. */
  notes: string[];
  /** How many `.py` files the walk saw, changed or not. */
  seen: number;
}

/** `*.swp`-style patterns of the watch's ignores as one test. */
function compileIgnores(patterns: readonly string[]): (name: string) => boolean {
  const tests = patterns.map((pattern) => {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    return new RegExp(`^${body}$`);
  });
  return (name) => tests.some((test) => test.test(name));
}
const isIgnoredFile = compileIgnores(ALWAYS_IGNORED_FILES);

/** A folder that is a virtualenv (its pyvenv.cfg says so) holds installed packages, not the app. */
function isVirtualenv(fs: SourceFs, dir: string, names: string[]): boolean {
  return names.includes('pyvenv.cfg') && fs.lstat(posix.join(dir, 'pyvenv.cfg'))?.isFile === true;
}

/**
 * The sources a release can break: every WSGI script, and every `.py` under the roots modified after
 * `sinceMs` (the oldest daemon's start: what it imported is older). Version control, caches, virtualenvs,
 * site-packages and the watch's ignores are skipped; links to folders inside a root are not followed.
 */
export function selectSources(fs: SourceFs, roots: SourceRoots, sinceMs: number): SourceSelection {
  const files = new Set<string>();
  const notes: string[] = [];
  const visited = new Set<string>();
  const deadline = fs.now() + WALK_BUDGET_MS;
  let entries = 0;
  let seen = 0;
  let stopped: string | null = null;
  for (const script of roots.scripts) files.add(script);
  const walk = (dir: string, depth: number, facts: EntryFacts) => {
    if (stopped !== null || visited.has(facts.id)) return;
    visited.add(facts.id);
    const names = fs.list(dir);
    if (names === null) {
      notes.push(`${dir} cannot be listed; its files were not checked`);
      return;
    }
    if (isVirtualenv(fs, dir, names)) return;
    for (const name of names.sort()) {
      if (++entries > MAX_WALK_ENTRIES) stopped = `more than ${MAX_WALK_ENTRIES} folder entries`;
      else if (fs.now() > deadline) stopped = `the walk took longer than ${WALK_BUDGET_MS} ms`;
      if (stopped !== null) return;
      const path = posix.join(dir, name);
      const entry = fs.lstat(path);
      if (entry === null) continue;
      if (entry.isDirectory) {
        if (IGNORED_DIRS.has(name)) continue;
        if (depth + 1 > MAX_WALK_DEPTH) {
          notes.push(`${path} is deeper than ${MAX_WALK_DEPTH} folders below its root; not walked`);
          continue;
        }
        walk(path, depth + 1, entry);
        continue;
      }
      if (!name.endsWith('.py') || isIgnoredFile(name)) continue;
      // A link to a file counts by its target's age.
      const target = entry.isLink ? fs.stat(path) : entry;
      if (target === null || !target.isFile) continue;
      seen++;
      if (target.mtimeMs <= sinceMs || files.has(path)) continue;
      if (files.size - roots.scripts.length >= MAX_CHANGED_FILES) {
        stopped = `more than ${MAX_CHANGED_FILES} changed files`;
        return;
      }
      files.add(path);
    }
  };
  for (const root of [...new Set(roots.folders)]) {
    const facts = fs.stat(root);
    if (facts === null || !facts.isDirectory) {
      notes.push(`${root} is not a folder; nothing under it was checked`);
      continue;
    }
    walk(root, 0, facts);
  }
  if (stopped !== null) notes.push(`stopped looking for changed files: ${stopped}; the rest was not checked`);
  return { files: [...files], notes, seen };
}
