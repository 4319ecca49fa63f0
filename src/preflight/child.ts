import type { ChildProcess } from 'node:child_process';

/** What a bounded child ended with: the stream read, its exit, and the last line it wrote to stderr. */
export interface BoundedExit {
  output: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  lastError: string;
}

export interface BoundedRun {
  /** The stream the child's answer comes on (stdout for the compiler, fd 3 for an import). */
  output: NodeJS.ReadableStream;
  maxBytes: number;
  timeoutMs: number;
  /** The messages of the two bounds: too much output, too late. */
  tooMuch: string;
  late: string;
  /** How to end it (and what it started): called at a bound, and again once it closed. */
  kill: () => void;
  /** The JSON document handed to it on stdin. */
  input: unknown;
}

/**
 * Feeds a child its input, reads one answer from it bounded in bytes and time, keeps the first 4 KiB of its
 * stderr, and resolves once it closed; a bound hit or a failed spawn rejects, the child killed.
 */
export function runBounded(child: ChildProcess, run: BoundedRun): Promise<BoundedExit> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let why: string | null = null;
    const stop = (reason: string) => {
      why ??= reason;
      run.kill();
    };
    const timer = setTimeout(() => stop(run.late), run.timeoutMs);
    run.output.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > run.maxBytes) stop(run.tooMuch);
      else out.push(chunk);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (err.length < 4096) err += chunk;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      run.kill();
      if (why !== null) return reject(new Error(why));
      resolve({
        output: Buffer.concat(out).toString('utf8'),
        code,
        signal,
        lastError: err.trim().split('\n').at(-1) ?? '',
      });
    });
    child.stdin?.on('error', () => {}); // a child that died early: its exit says why
    child.stdin?.end(JSON.stringify(run.input));
  });
}
