import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Every file below a directory, sorted, the way Apache includes a directory. */
function filesUnder(dir: string): string[] {
  return listDir(dir).flatMap((name) => {
    const path = join(dir, name);
    return isDirectory(path) ? filesUnder(path) : [path];
  });
}

/**
 * Expands an absolute Include path as Apache does: wildcards in any segment, matches sorted, dot files
 * only when the pattern names them, and a directory stands for every file below it.
 */
export function expandInclude(absolutePath: string): string[] {
  const segments = absolutePath.split('/').filter((segment) => segment !== '');
  let bases = ['/'];
  for (const segment of segments) {
    if (!WILDCARD.test(segment)) {
      bases = bases.map((base) => join(base, segment));
      continue;
    }
    const pattern = segmentPattern(segment);
    bases = bases.flatMap((base) =>
      listDir(base)
        .filter((name) => pattern.test(name) && (!name.startsWith('.') || segment.startsWith('.')))
        .map((name) => join(base, name)),
    );
  }
  return bases.flatMap((path) => (isDirectory(path) ? filesUnder(path) : [path]));
}
