import { execFile } from 'node:child_process';

/** What one external command did: its exit code (null when it could not start or was killed) and output. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Why it could not start or finish (ENOENT: no such program; ETIMEDOUT: killed after the timeout). */
  error?: string;
}

/**
 * Runs one program with an argument array: never a command string, never a shell, so no name can inject
 * a second command. Injected everywhere on the Windows path so tests can replay recorded outputs.
 */
export interface Executor {
  run(file: string, args: string[]): Promise<RunResult>;
}

export const COMMAND_TIMEOUT_MS = 60_000;

/** The real executor: child_process.execFile without a shell, hidden console window, bounded in time. */
export function createExecutor(timeoutMs = COMMAND_TIMEOUT_MS): Executor {
  return {
    run: (file, args) =>
      new Promise((resolve) => {
        execFile(
          file,
          args,
          {
            shell: false,
            windowsHide: true,
            timeout: timeoutMs,
            encoding: 'utf8',
            maxBuffer: 16 * 1024 * 1024,
          },
          (error, stdout, stderr) => {
            if (!error) {
              resolve({ code: 0, stdout, stderr });
              return;
            }
            const failure = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
            if (typeof failure.code === 'number') {
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
      }),
  };
}
