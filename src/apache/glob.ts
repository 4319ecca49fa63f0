import { dirname, posix } from 'node:path';
import type { FileView } from './files.js';

const WILDCARD = /[*?[]/;

function segmentPattern(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i] as string;
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const end = segment.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        source += `[${segment
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** What an Include expanded to, and every path whose change would change that. */
export interface Expansion {
  files: string[];
  consulted: string[];
}

function isDirectory(files: FileView, path: string): boolean | null {
  try {
    return files.stat(path).isDirectory;
  } catch {
    return null;
  }
}

/** The nearest existing ancestor of a missing path: creating the path changes that folder. */
function nearestExisting(files: FileView, path: string): string {
  let current = path;
  while (current !== '/' && isDirectory(files, current) === null) current = dirname(current);
  return current;
}

function listDir(files: FileView, dir: string, expansion: Expansion): string[] {
  try {
    const names = files.readDir(dir).sort();
    expansion.consulted.push(dir);
    return names;
  } catch {
    expansion.consulted.push(nearestExisting(files, dir));
    return [];
  }
}

/** Every file below a directory, sorted, the way Apache includes a directory. */
function filesUnder(files: FileView, dir: string, expansion: Expansion): string[] {
  return listDir(files, dir, expansion).flatMap((name) => {
    const path = posix.join(dir, name);
    return isDirectory(files, path) ? filesUnder(files, path, expansion) : [path];
  });
}

/**
 * Expands an absolute Include path as Apache does: wildcards in any segment, matches sorted, dot files
 * only when the pattern names them, and a directory stands for every file below it.
 */
export function expandInclude(files: FileView, absolutePath: string): Expansion {
  const expansion: Expansion = { files: [], consulted: [] };
  const segments = absolutePath.split('/').filter((segment) => segment !== '');
  let bases = ['/'];
  for (const segment of segments) {
    if (!WILDCARD.test(segment)) {
      bases = bases.map((base) => posix.join(base, segment));
      continue;
    }
    const pattern = segmentPattern(segment);
    bases = bases.flatMap((base) =>
      listDir(files, base, expansion)
        .filter((name) => pattern.test(name) && (!name.startsWith('.') || segment.startsWith('.')))
        .map((name) => posix.join(base, name)),
    );
  }
  for (const path of bases) {
    const directory = isDirectory(files, path);
    if (directory) expansion.files.push(...filesUnder(files, path, expansion));
    else if (directory === false) expansion.files.push(path);
    else expansion.consulted.push(nearestExisting(files, path));
  }
  return expansion;
}
