import { lstatSync, realpathSync } from 'node:fs';
import { statOpened, tryFacts } from '../apache/binary/executable.js';
import type { FileFacts } from '../apache/binary/run-rules.js';
import { listFolders } from '../apache/binary/run-rules.js';
import { stdlibOf, versionOfBinary } from './python.js';
import type { PythonFacts } from './trust.js';

function lstatFacts(path: string): FileFacts | null {
  return tryFacts(() => lstatSync(path));
}

/** fstat of a path opened without following a last link and without blocking on a FIFO. */
function openedFacts(path: string): FileFacts | null {
  return statOpened(path, false);
}

/**
 * What judgePython needs of an interpreter on this machine: its real path (the pre-flight runs that path,
 * never the configured one, so that no link can be swapped between the judgement and the run), the file,
 * the folders above it and its standard library. `libpython` names the version when the binary's own name
 * does not (`python3`).
 */
export function inspectPython(path: string, libpython: string | null): PythonFacts {
  let real: string | null;
  try {
    real = realpathSync(path);
  } catch {
    real = null;
  }
  if (real === null) return { path, real, stat: null, folders: [], stdlib: null };
  const version = versionOfBinary(real) ?? libpython;
  const stdlib = version === null ? null : stdlibOf(real, version);
  return {
    path,
    real,
    stat: openedFacts(real),
    folders: listFolders(real).map((folder) => ({ path: folder, stat: lstatFacts(folder) })),
    stdlib: stdlib === null ? null : { path: stdlib, stat: lstatFacts(stdlib) },
  };
}
