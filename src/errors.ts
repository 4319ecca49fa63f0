/** Exit codes shared by every command; the CLI is the only place that turns them into a process exit. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  noMatch: 3,
  permission: 4,
  refused: 5,
  /** A host of a fleet could not be reached over ssh, or no usable wsgictl runs there. */
  host: 6,
  interrupted: 130,
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type ErrorCode =
  | 'USAGE'
  | 'NO_SUCH_GROUP'
  | 'NO_PROCESSES'
  | 'PERMISSION'
  | 'REFUSED'
  | 'HOST'
  | 'PARTIAL'
  | 'NOT_SUPPORTED'
  | 'FAILED';

const EXIT_BY_CODE: Record<ErrorCode, ExitCode> = {
  USAGE: EXIT.usage,
  NO_SUCH_GROUP: EXIT.noMatch,
  NO_PROCESSES: EXIT.noMatch,
  PERMISSION: EXIT.permission,
  REFUSED: EXIT.refused,
  HOST: EXIT.host,
  PARTIAL: EXIT.failed,
  NOT_SUPPORTED: EXIT.failed,
  FAILED: EXIT.failed,
};

/** The one error type the core throws: a one-line message that says what to do, and a code. */
export class WsgictlError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WsgictlError';
    this.code = code;
    this.exitCode = EXIT_BY_CODE[code];
  }
}

/** True for the codes of WsgictlError (e.g. one a host's wsgictl reported), read off the table above. */
export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(EXIT_BY_CODE, value);
}

export function usageError(message: string): WsgictlError {
  return new WsgictlError('USAGE', message);
}

/** True for the errno codes that mean "this process is gone or not ours to read": skip, never crash. */
export function isVanishedOrDenied(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ESRCH' || code === 'EACCES' || code === 'EPERM' || code === 'EINVAL';
}

/** An error's message, or the thrown value itself when it is not an Error (a string, undefined, null). */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
