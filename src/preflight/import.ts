import { spawn } from 'node:child_process';
import { runBounded } from './child.js';
import { MAX_ADDRESS_SPACE_BYTES } from './compile.js';

/** One import's wall time; the child and everything it started are killed after. */
export const IMPORT_TIMEOUT_MS = 20_000;
/** What the import's report (fd 3) may hold; more and it is killed. */
export const MAX_REPORT_BYTES = 1 << 20;
/** The most traceback lines kept of one failure. */
export const MAX_TRACEBACK_LINES = 60;

/**
 * The program the interpreter runs to import one WSGI script as mod_wsgi would load it: the group's
 * python-path first on sys.path, then `runpy.run_path` of the script (its module-level code runs: that is the
 * point, and why this is opt-in). Whatever the app prints goes to stdout/stderr, which are not read as the
 * report; the report is one JSON document on fd 3. Fixed text, never built from input.
 */
export const IMPORT_PROGRAM = `
import json, os, resource, runpy, sys, traceback
req = json.loads(sys.stdin.read())
limit = req["addressSpace"]
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
report = os.fdopen(3, "w")
sys.path[0:0] = req["pythonPath"]
out = {"version": "%d.%d.%d" % sys.version_info[:3], "path": req["script"]}
try:
    runpy.run_path(req["script"], run_name="_wsgictl_preflight_import")
    out["status"] = "ok"
except BaseException as e:
    out.update(status="error", type=type(e).__name__, message=str(e)[:2000],
               traceback=traceback.format_exception(type(e), e, e.__traceback__)[-req["maxLines"]:])
report.write(json.dumps(out))
report.flush()
os._exit(0)
`;

export interface ImportResult {
  path: string;
  status: 'ok' | 'error';
  type?: string;
  message?: string;
  /** Python's formatted traceback, one entry per frame (a frame's entry may span lines). */
  traceback?: string[];
}

export interface ImportOptions {
  python: string;
  script: string;
  /** The group's python-path= entries, put first on sys.path. */
  pythonPath: string[];
  /** The group's home= (its working directory), else `/`. */
  home: string | null;
  uid?: number;
  gid?: number;
  timeoutMs?: number;
}

/** Reads the import's report; throws on anything else. */
export function parseImportReport(text: string): ImportResult {
  const parsed = JSON.parse(text) as Partial<ImportResult>;
  if (typeof parsed.path !== 'string' || (parsed.status !== 'ok' && parsed.status !== 'error')) {
    throw new Error('the import printed no result');
  }
  const traceback = Array.isArray(parsed.traceback)
    ? parsed.traceback.filter((entry): entry is string => typeof entry === 'string')
    : undefined;
  return {
    path: parsed.path,
    status: parsed.status,
    ...(typeof parsed.type === 'string' ? { type: parsed.type } : {}),
    ...(typeof parsed.message === 'string' ? { message: parsed.message } : {}),
    ...(traceback ? { traceback } : {}),
  };
}

/**
 * Imports one WSGI script with `python` in a child process of its own process group: as the given user, in
 * the group's home, with an empty environment and no .pyc written (-B), user site and PYTHON* variables off
 * (-I; site-packages stay, the app needs them), bounded in time, memory and report size. At the end, or at
 * the timeout, the whole process group is killed, so nothing the app started outlives the check.
 */
export async function importScript(options: ImportOptions): Promise<ImportResult> {
  const child = spawn(options.python, ['-I', '-B', '-c', IMPORT_PROGRAM], {
    cwd: options.home ?? '/',
    env: { LC_ALL: 'C.UTF-8' },
    uid: options.uid,
    gid: options.gid,
    detached: true,
    stdio: ['pipe', 'ignore', 'pipe', 'pipe'],
  });
  const timeoutMs = options.timeoutMs ?? IMPORT_TIMEOUT_MS;
  const exit = await runBounded(child, {
    output: child.stdio[3] as NodeJS.ReadableStream,
    maxBytes: MAX_REPORT_BYTES,
    timeoutMs,
    tooMuch: `the import reported more than ${MAX_REPORT_BYTES} bytes`,
    late: `importing ${options.script} took longer than ${timeoutMs} ms`,
    // The whole process group: what the app may have started goes with it.
    kill: () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {} // already gone
    },
    input: {
      script: options.script,
      pythonPath: options.pythonPath,
      addressSpace: MAX_ADDRESS_SPACE_BYTES,
      maxLines: MAX_TRACEBACK_LINES,
    },
  });
  if (exit.output === '') {
    const last = exit.lastError ? `: ${exit.lastError}` : '';
    throw new Error(`the import exited ${exit.signal ?? `with code ${exit.code}`} without a report${last}`);
  }
  return parseImportReport(exit.output);
}
