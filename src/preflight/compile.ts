import { spawn } from 'node:child_process';
import { runBounded } from './child.js';

/** One source file bigger than this is not compiled (and said so): no real module is. */
export const MAX_FILE_BYTES = 4 << 20;
/** All files of one pre-flight together. */
export const MAX_TOTAL_BYTES = 128 << 20;
/** The compiler's wall time; it is killed after. */
export const COMPILE_TIMEOUT_MS = 20_000;
/** What the compiler may print; more and it is killed. */
export const MAX_OUTPUT_BYTES = 8 << 20;
/** Its address space: compile() of a hostile file cannot take the machine's memory. */
export const MAX_ADDRESS_SPACE_BYTES = 1 << 30;

/**
 * The program the interpreter runs: it reads the list of files on stdin, opens each as a regular file
 * (never blocking on a FIFO), and only compiles it in memory: no module is imported, no code of the
 * application runs, no .pyc is written. Fixed text, never built from input.
 */
export const COMPILE_PROGRAM = `
import json, os, resource, stat, sys
req = json.loads(sys.stdin.read())
limit = req["addressSpace"]
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
max_file, budget = req["maxFileBytes"], req["maxTotalBytes"]
out = {"version": "%d.%d.%d" % sys.version_info[:3], "results": []}
for path in req["files"]:
    r = {"path": path}
    out["results"].append(r)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as e:
        r["status"] = "unreadable"; r["message"] = e.strerror or str(e); continue
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            r["status"] = "unreadable"; r["message"] = "not a regular file"; continue
        chunks, size = [], 0
        while size <= max_file:
            chunk = os.read(fd, max_file + 1 - size)
            if not chunk: break
            chunks.append(chunk); size += len(chunk)
        data = b"".join(chunks)
    except OSError as e:
        r["status"] = "unreadable"; r["message"] = e.strerror or str(e); continue
    finally:
        os.close(fd)
    if len(data) > max_file:
        r["status"] = "too-big"; continue
    budget -= len(data)
    if budget < 0:
        r["status"] = "budget"; break
    try:
        compile(data, path, "exec", dont_inherit=True)
        r["status"] = "ok"
    except SyntaxError as e:
        r.update(status="error", type=type(e).__name__, message=str(e.msg), line=e.lineno, offset=e.offset, text=e.text)
    except Exception as e:
        r.update(status="error", type=type(e).__name__, message=str(e))
sys.stdout.write(json.dumps(out))
`;

export type CompileStatus = 'ok' | 'error' | 'unreadable' | 'too-big' | 'budget';

export interface CompileResult {
  path: string;
  status: CompileStatus;
  /** With `error`: SyntaxError, IndentationError, TabError, ValueError (null bytes)... */
  type?: string;
  message?: string;
  line?: number | null;
  offset?: number | null;
  /** The source line the compiler points at. */
  text?: string | null;
}

export interface CompileRun {
  /** The interpreter's version, as it says. */
  version: string;
  results: CompileResult[];
}

export interface CompileOptions {
  python: string;
  files: string[];
  /** Run as this uid/gid (the group's user); absent: as ourselves. */
  uid?: number;
  gid?: number;
  timeoutMs?: number;
}

/** Reads the compiler's JSON; throws on anything else (it crashed, was killed, printed garbage). */
export function parseCompileOutput(text: string): CompileRun {
  const parsed = JSON.parse(text) as Partial<CompileRun>;
  if (typeof parsed.version !== 'string' || !Array.isArray(parsed.results)) {
    throw new Error('the compiler printed no result');
  }
  return { version: parsed.version, results: parsed.results };
}

/**
 * Compiles `files` with `python` in a child process: isolated (-I: no environment variables, no user site,
 * no script folder on sys.path), without site (-S), writing no bytecode (-B), in `/`, with an empty
 * environment, as the given user, bounded in time, output and memory.
 */
export async function compileFiles(options: CompileOptions): Promise<CompileRun> {
  const child = spawn(options.python, ['-I', '-S', '-B', '-c', COMPILE_PROGRAM], {
    cwd: '/',
    env: { LC_ALL: 'C.UTF-8' },
    uid: options.uid,
    gid: options.gid,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const timeoutMs = options.timeoutMs ?? COMPILE_TIMEOUT_MS;
  const exit = await runBounded(child, {
    output: child.stdout,
    maxBytes: MAX_OUTPUT_BYTES,
    timeoutMs,
    tooMuch: `the compiler printed more than ${MAX_OUTPUT_BYTES} bytes`,
    late: `the compiler took longer than ${timeoutMs} ms`,
    kill: () => child.kill('SIGKILL'),
    input: {
      files: options.files,
      maxFileBytes: MAX_FILE_BYTES,
      maxTotalBytes: MAX_TOTAL_BYTES,
      addressSpace: MAX_ADDRESS_SPACE_BYTES,
    },
  });
  if (exit.code !== 0) {
    const last = exit.lastError ? `: ${exit.lastError}` : '';
    throw new Error(`the compiler exited ${exit.signal ?? `with code ${exit.code}`}${last}`);
  }
  return parseCompileOutput(exit.output);
}
