import type { ApacheBuild } from './apache-build.js';

/** Every httpd has these compiled in; a linker may fold `core.c` into the tail of `http_core.c`. */
const ALWAYS_COMPILED = ['core.c', 'http_core.c', 'mod_so.c'];
/** A compiled-in MPM's module name; mpm_winnt.c is left out: Unix builds name it in a message. */
const MPM_SOURCES = new Set(['event.c', 'prefork.c', 'worker.c']);

/**
 * What an httpd binary says of itself, read from its bytes instead of running it: the version in
 * AP_SERVER_BASEVERSION ("Apache/2.4.62", also inside "Apache/2.4.62 (Debian)") and the compiled-in modules,
 * whose names are their source files' `__FILE__` strings (`mod_version.c`), each a NUL-ended string of its
 * own. Not an Apache binary (no version string, or two different ones): null fields, i.e. undecided.
 */
export function parseBuildBytes(bytes: Buffer): ApacheBuild {
  const text = bytes.toString('latin1');
  const versions = new Set<string>();
  for (const match of text.matchAll(/Apache\/(\d+\.\d+\.\d+(?:-[\w.]+)?)[\0 ]/g)) {
    if (match[1]) versions.add(match[1]);
  }
  const [version] = versions;
  if (versions.size !== 1 || version === undefined) return { modules: null, version: null };
  const modules = new Set(ALWAYS_COMPILED);
  for (const match of text.matchAll(/(?<![\x21-\x7e])([a-z][a-z0-9_]*\.c)\0/g)) {
    const name = match[1] ?? '';
    if (name.startsWith('mod_') || MPM_SOURCES.has(name)) modules.add(name);
  }
  return { modules, version };
}
