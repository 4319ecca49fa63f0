import { type ErrorCode, isErrorCode } from '../errors.js';

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

/**
 * JSON-looking lines tried, from the end: the envelope is the last line wsgictl prints, and trying every
 * line of a host that prints 8 million `{` lines took 51 s here.
 */
const CANDIDATE_LINES_MAX = 8;

/** A version is a few characters (0.2.0, 1.0.0-rc.1); anything longer is not wsgictl's. */
const VERSION_MAX_CHARS = 64;

/** `value` as an Envelope if every field has the shape wsgictl writes; undefined for anything else. */
export function toEnvelope(value: unknown): Envelope | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { wsgictl, exitCode, stdout, stderr, error } = value as Record<string, unknown>;
  if (typeof wsgictl !== 'string' || wsgictl === '' || wsgictl.length > VERSION_MAX_CHARS) return undefined;
  if (typeof exitCode !== 'number' || !Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255)
    return undefined;
  if (typeof stdout !== 'string' || typeof stderr !== 'string') return undefined;
  if (error === undefined) return { wsgictl, exitCode, stdout, stderr };
  if (typeof error !== 'object' || error === null || Array.isArray(error)) return undefined;
  const { code, message } = error as Record<string, unknown>;
  if (typeof code !== 'string' || !(code === 'UNEXPECTED' || isErrorCode(code))) return undefined;
  if (typeof message !== 'string') return undefined;
  return { wsgictl, exitCode, stdout, stderr, error: { code, message } };
}

/**
 * The envelope in ssh's stdout: the last line that is one (a login script may print lines before it).
 * Only the fields wsgictl writes are kept, each checked: a host that answers anything else did not run
 * wsgictl, whatever it printed.
 */
export function findEnvelope(stdout: string): Envelope | undefined {
  const lines = stdout.split('\n');
  let tried = 0;
  for (let i = lines.length - 1; i >= 0 && tried < CANDIDATE_LINES_MAX; i--) {
    const line = lines[i]?.trim() ?? '';
    if (!line.startsWith('{')) continue;
    tried++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const envelope = toEnvelope(value);
    if (envelope) return envelope;
  }
  return undefined;
}
