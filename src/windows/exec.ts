import { execFile } from 'node:child_process';
import { decodeOutput, parseChcp } from './codepage.js';

/** What one external command did: its exit code (null when it could not start or was killed) and output. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why it could not start or finish (ENOENT: no such program; ETIMEDOUT: killed at the deadline). */
  error?: string;
}

export interface RunOptions {
  /** Kill the command after this long: what is left of the reload's one deadline. */
  timeoutMs?: number;
}

/**
 * Runs one program with an argument array: never a command string, never a shell, so no name can inject
 * a second command. Injected everywhere on the Windows path so tests can replay recorded outputs.
 */
export interface Executor {
  run(file: string, args: string[], options?: RunOptions): Promise<RunResult>;
}

/** Only for a command run outside any deadline (none on the reload path: it passes what is left). */
export const COMMAND_TIMEOUT_MS = 60_000;
/** chcp answers at once; it is asked once per executor. */
const CHCP_TIMEOUT_MS = 5_000;

type RawResult = { code: number | null; stdout: Buffer; stderr: Buffer; error?: string };

function runRaw(file: string, args: string[], timeoutMs: number): Promise<RawResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        shell: false,
        windowsHide: true,
        timeout: Math.max(1, timeoutMs),
        encoding: 'buffer',
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ code: 0, stdout, stderr });
          return;
        }
        const failure = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
        if (typeof failure.code === 'number' && !failure.killed) {
          resolve({ code: failure.code, stdout, stderr });
          return;
        }
        resolve({
          code: null,
          stdout,
          stderr,
          error: failure.killed ? 'ETIMEDOUT' : String(failure.code ?? failure.message),
        });
      },
    );
  });
}

/**
 * The real executor: child_process.execFile without a shell, hidden console window, bounded by the time
 * the caller has left. Output is decoded in the console's code page, read once with `chcp` (`codePage`
 * overrides it; null means UTF-8).
 */
export function createExecutor(codePage?: number | null): Executor {
  let page: Promise<number | null> | undefined =
    codePage === undefined ? undefined : Promise.resolve(codePage);
  const consolePage = async (): Promise<number | null> => {
    const result = await runRaw('chcp.com', [], CHCP_TIMEOUT_MS);
    return result.code === 0 ? parseChcp(result.stdout.toString('latin1')) : null;
  };
  return {
    async run(file, args, options = {}) {
      page ??= consolePage();
      const raw = await runRaw(file, args, options.timeoutMs ?? COMMAND_TIMEOUT_MS);
      const cp = await page;
      const result: RunResult = {
        code: raw.code,
        stdout: decodeOutput(raw.stdout, cp),
        stderr: decodeOutput(raw.stderr, cp),
      };
      if (raw.error !== undefined) result.error = raw.error;
      return result;
    },
  };
}
