import { dirname, posix } from 'node:path';
import { ReadLimitError } from '../../files/safe-files.js';
import type { FileView } from '../../files/view.js';

/** Whether a path segment is a wildcard for apr_fnmatch_test: `*`, `?`, or a `[` that a `]` closes. */
function isWildcard(segment: string): boolean {
  let open = false;
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i];
    if (char === '*' || char === '?') return true;
    if (char === '\\') i++;
    else if (char === '[') open = true;
    else if (char === ']' && open) return true;
  }
  return false;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** The end of a bracket expression starting at `start`, or -1 when no `]` closes it (then `[` is literal). */
function bracketEnd(segment: string, start: number): number {
  let i = start + 1;
  if (segment[i] === '!' || segment[i] === '^') i++;
  if (segment[i] === ']') i++;
  for (; i < segment.length; i++) {
    if (segment[i] === '\\') i++;
    else if (segment[i] === ']') return i;
  }
  return -1;
}

/** One segment of an Include pattern as apr_fnmatch reads it (with escapes, `[!...]` and `[^...]`). */
function segmentPattern(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] as string;
    if (char === '\\' && i + 1 < segment.length) source += escapeRegExp(segment[++i] as string);
    else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[' && bracketEnd(segment, i) > 0) {
      const end = bracketEnd(segment, i);
      let body = segment.slice(i + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      const members = body.replace(/\\(.)/g, '$1').replace(/[\]\\^[]/g, '\\$&');
      source += `[${negate ? '^' : ''}${members}]`;
      i = end;
    } else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`);
}

/** A name as the bytes apr_fnmatch compares, one character per byte: `?` matches one byte of `é`, not two. */
function asBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** strcmp order, as Apache sorts the files it includes (not JavaScript's UTF-16 order). */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** What an Include expanded to, and every path whose change would change that. */
export interface Expansion {
  files: string[];
  consulted: string[];
  /** Folders that exist but could not be listed (EACCES...): what Apache reads there is unknown. */
  unreadable: { path: string; code: string }[];
  /** Why the expansion cannot be finished (a folder inside itself), or absent. */
  stopped?: string;
}

function isDirectory(files: FileView, path: string): boolean | null {
  try {
    return files.stat(path).isDirectory;
  } catch (error) {
    if (error instanceof ReadLimitError) throw error;
    return null;
  }
}

/** The nearest existing ancestor of a missing path: creating the path changes that folder. */
export function nearestExisting(files: FileView, path: string): string {
  let current = path;
  while (dirname(current) !== current && isDirectory(files, current) === null) current = dirname(current);
  return current;
}

function listDir(files: FileView, dir: string, expansion: Expansion): string[] {
  try {
    const names = files.readDir(dir).sort(byBytes);
    expansion.consulted.push(dir);
    return names;
  } catch (error) {
    if (error instanceof ReadLimitError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    if (code === 'ENOENT' || code === 'ENOTDIR') expansion.consulted.push(nearestExisting(files, dir));
    else expansion.unreadable.push({ path: dir, code });
    return [];
  }
}

/** The (dev, ino) of a folder, when the FileView tells it. */
function folderId(files: FileView, dir: string): string | undefined {
  try {
    return files.stat(dir).id;
  } catch (error) {
    if (error instanceof ReadLimitError) throw error;
    return undefined;
  }
}

/**
 * Every file below a directory, sorted, the way Apache includes a directory (dot files too). A folder that
 * is its own ancestor (a symlink to `.` or above) would never end: the expansion stops there.
 */
function filesUnder(files: FileView, dir: string, expansion: Expansion, above = new Set<string>()): string[] {
  const id = folderId(files, dir);
  if (id !== undefined && above.has(id)) {
    expansion.stopped = `${dir} is a folder inside itself (a symlink loop)`;
    return [];
  }
  const ancestors = id === undefined ? above : new Set([...above, id]);
  const found: string[] = [];
  for (const name of listDir(files, dir, expansion)) {
    if (expansion.stopped) break;
    const path = posix.join(dir, name);
    if (isDirectory(files, path)) found.push(...filesUnder(files, path, expansion, ancestors));
    else found.push(path);
  }
  return found;
}

/**
 * Expands an absolute Include path as Apache does (ap_dir_fnmatch, ap_dir_nofnmatch): wildcards in any
 * segment, matches in strcmp order, dot files only when the pattern names them, a wildcard before the last
 * segment matching folders only, and a directory standing for every file below it.
 */
export function expandInclude(files: FileView, absolutePath: string): Expansion {
  const expansion: Expansion = { files: [], consulted: [], unreadable: [] };
  const segments = absolutePath.split('/').filter((segment) => segment !== '');
  let bases = ['/'];
  segments.forEach((segment, index) => {
    if (!isWildcard(segment)) {
      bases = bases.map((base) => posix.join(base, segment));
      return;
    }
    const pattern = segmentPattern(asBytes(segment));
    const last = index === segments.length - 1;
    bases = bases.flatMap((base) =>
      listDir(files, base, expansion)
        .filter((name) => pattern.test(asBytes(name)) && (!name.startsWith('.') || segment.startsWith('.')))
        .map((name) => posix.join(base, name))
        .filter((path) => last || isDirectory(files, path) === true),
    );
  });
  for (const path of bases) {
    const directory = isDirectory(files, path);
    if (directory) expansion.files.push(...filesUnder(files, path, expansion));
    else if (directory === false) expansion.files.push(path);
    else expansion.consulted.push(nearestExisting(files, path));
  }
  return expansion;
}
