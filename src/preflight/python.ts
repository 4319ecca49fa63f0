import { posix } from 'node:path';

/** The interpreter mod_wsgi falls back to when nothing names a Python home: the system's own. */
export const SYSTEM_PYTHON_DIR = '/usr/bin';

/** The `3.X` of the `libpython3.X` a mod_wsgi module is linked against (its DT_NEEDED entry), or null. */
export function findLibpythonVersion(moduleBytes: Buffer): string | null {
  // The soname sits in the module's dynamic string table as plain ASCII; latin1 keeps every byte one char.
  const match = /libpython(3\.\d{1,2})/.exec(moduleBytes.toString('latin1'));
  return match ? (match[1] as string) : null;
}

/** Where the Python for a group comes from, in mod_wsgi's own order. */
export interface PythonSources {
  /** `python-home=` of the group's WSGIDaemonProcess. */
  groupHome: string | null;
  /** `WSGIPythonHome`. */
  serverHome: string | null;
  /** What the loaded mod_wsgi links against (`3.11`), or null when its bytes could not be read. */
  libpython: string | null;
}

export interface PythonChoice {
  /** The paths to try, in order; the first that exists is the one. */
  candidates: string[];
  /** Why these: `python-home=/srv/venv`, `WSGIPythonHome /opt/py`, `libpython3.11 of mod_wsgi.so`. */
  why: string;
}

/**
 * The interpreter that compiles like the daemons do: the one under the group's `python-home=`, else under
 * `WSGIPythonHome`, else the system's python3.X matching the libpython mod_wsgi is linked against. A
 * virtualenv's `bin/python3` is a link to its base interpreter, which is the same compiler.
 */
export function choosePython(sources: PythonSources): PythonChoice {
  const version = sources.libpython;
  const named = (dir: string) => [
    ...(version ? [posix.join(dir, `python${version}`)] : []),
    posix.join(dir, 'python3'),
  ];
  if (sources.groupHome) {
    return {
      candidates: named(posix.join(sources.groupHome, 'bin')),
      why: `python-home=${sources.groupHome}`,
    };
  }
  if (sources.serverHome) {
    return {
      candidates: named(posix.join(sources.serverHome, 'bin')),
      why: `WSGIPythonHome ${sources.serverHome}`,
    };
  }
  return {
    candidates: named(SYSTEM_PYTHON_DIR),
    why: version ? `libpython${version} of the loaded mod_wsgi` : 'the system python3 (mod_wsgi unread)',
  };
}

/** `3.11` from `/usr/bin/python3.11`; null for a name without its minor version. */
export function versionOfBinary(path: string): string | null {
  return /python(3\.\d{1,2})$/.exec(posix.basename(path))?.[1] ?? null;
}

/** Where a Python installed under PREFIX keeps its standard library: PREFIX/lib/python3.X. */
export function stdlibOf(realBinary: string, version: string): string {
  return posix.join(posix.dirname(posix.dirname(realBinary)), 'lib', `python${version}`);
}
