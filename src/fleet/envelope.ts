import type { ErrorCode } from '../errors.js';

/**
 * What `wsgictl --envelope COMMAND ...` prints on a host, as one JSON line, instead of its usual output:
 * the local wsgictl that ran it over ssh learns the host's version, the exit code and the error's code
 * from wsgictl itself, not from guesses over ssh's exit status and free text.
 */
export interface Envelope {
  wsgictl: string;
  exitCode: number;
  /** What the command wrote to stdout (JSON text when it was given --json). */
  stdout: string;
  stderr: string;
  error?: { code: ErrorCode | 'UNEXPECTED'; message: string };
}

export const ENVELOPE_FLAG = '--envelope';

/** The envelope in ssh's stdout: the last line that is one (a login script may print lines before it). */
export function findEnvelope(stdout: string): Envelope | undefined {
  const lines = stdout.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]?.trim() ?? '';
    if (!line.startsWith('{')) continue;
    try {
      const value = JSON.parse(line) as Partial<Envelope>;
      if (typeof value.wsgictl === 'string' && typeof value.exitCode === 'number') {
        return {
          wsgictl: value.wsgictl,
          exitCode: value.exitCode,
          stdout: typeof value.stdout === 'string' ? value.stdout : '',
          stderr: typeof value.stderr === 'string' ? value.stderr : '',
          ...(value.error ? { error: value.error } : {}),
        };
      }
    } catch {}
  }
  return undefined;
}
