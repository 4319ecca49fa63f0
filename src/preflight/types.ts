import type { CompileResult } from './compile.js';
import type { ImportResult } from './import.js';

/** A file that does not compile, as the compiler said it. */
export interface PreflightFailure {
  path: string;
  /** SyntaxError, IndentationError, TabError, ... */
  type: string;
  message: string;
  line: number | null;
  offset: number | null;
  /** The source line it points at. */
  text: string | null;
  /** With `--preflight import`: the script raised while imported; Python's traceback, frame by frame. */
  traceback?: string[];
}

/**
 * The pre-flight of one group: `passed` (every file checked compiles), `failed` (`failures` name the files
 * that do not), `refused` (it could not be run safely: `reason`; nothing was signalled), `skipped` (it does
 * not apply here: `reason`).
 */
export interface PreflightReport {
  instance: number;
  group: string;
  status: 'passed' | 'failed' | 'refused' | 'skipped';
  reason?: string;
  /** The interpreter that compiled, its real path, and why that one. */
  python?: { path: string; version: string | null; why: string };
  /** Every file compiled, scripts first. */
  files: string[];
  failures: PreflightFailure[];
  /** Bounds hit, files that could not be read, a version that differs from mod_wsgi's: one line each. */
  notes: string[];
  /** How many `.py` files under the group's folders were looked at (changed or not). */
  seen: number;
  /** The oldest daemon's start: files modified after it were compiled. */
  since: string | null;
  ms: number;
  /** Of `ms`: looking for changed files, and the compiler's run (its start-up included). */
  walkMs?: number;
  compileMs?: number;
  /** With `--preflight import`: the WSGI scripts imported (after they compiled), and how long that took. */
  imported?: string[];
  importMs?: number;
}

export function toFailure(result: CompileResult): PreflightFailure {
  return {
    path: result.path,
    type: result.type ?? 'SyntaxError',
    message: result.message ?? 'does not compile',
    line: result.line ?? null,
    offset: result.offset ?? null,
    text: result.text?.replace(/\r?\n$/, '') ?? null,
  };
}

/** A script that raised while imported: where the last frame in that file points, and the traceback. */
export function toImportFailure(result: ImportResult): PreflightFailure {
  const traceback = result.traceback ?? [];
  const frames = traceback.join('').matchAll(/File "([^"]*)", line (\d+)/g);
  let line: number | null = null;
  for (const frame of frames) if (frame[1] === result.path) line = Number(frame[2]);
  return {
    path: result.path,
    type: result.type ?? 'Exception',
    message: result.message ?? 'raised while imported',
    line,
    offset: null,
    text: null,
    traceback: traceback.flatMap((entry) => entry.replace(/\n$/, '').split('\n')),
  };
}
