import { constants } from 'node:os';
import { parseDuration } from '../duration.js';
import { usageError } from '../errors.js';

/** The signals a mod_wsgi daemon takes as "restart": INT and TERM now, USR1 after draining. */
export const RESTART_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGUSR1'] as const satisfies readonly NodeJS.Signals[];

export type RestartSignal = (typeof RESTART_SIGNALS)[number];

/** Reads a signal as a name with or without SIG, or a number; only the ones mod_wsgi restarts on. */
export function parseSignal(value: string): RestartSignal {
  const text = value.trim().toUpperCase();
  const byNumber = /^\d+$/.test(text)
    ? RESTART_SIGNALS.find((name) => constants.signals[name] === Number(text))
    : RESTART_SIGNALS.find((name) => name === text || name === `SIG${text}`);
  if (byNumber) return byNumber;
  const valid = RESTART_SIGNALS.map((name) => `${name.slice(3)} (${constants.signals[name]})`).join(', ');
  throw usageError(
    `signal "${value}" does not restart a mod_wsgi daemon: use one of ${valid}, with or without the SIG prefix`,
  );
}

/**
 * The core's own check, for library callers whose types did not stop them (plain JavaScript, a value read
 * from a file). mod_wsgi restarts a daemon on INT, TERM and USR1 only; SIGKILL, say, would drop its
 * in-flight requests with no shutdown-timeout.
 */
export function assertRestartSignal(value: unknown): RestartSignal {
  const known = RESTART_SIGNALS.find((name) => name === value);
  if (known) return known;
  const shown = typeof value === 'string' ? `"${value}"` : String(value);
  throw usageError(
    `signal ${shown} does not restart a mod_wsgi daemon: pass one of ${RESTART_SIGNALS.join(', ')} (parseSignal reads user input such as INT or 2)`,
  );
}

/**
 * The signal that `--graceful` and `--signal NAME` ask for (default SIGINT); both at once is a usage error.
 */
export function chooseSignal(options: { graceful?: boolean; signal?: string }): RestartSignal {
  if (options.graceful && options.signal)
    throw usageError('--graceful sends SIGUSR1: give either it or --signal');
  if (options.graceful) return 'SIGUSR1';
  return options.signal ? parseSignal(options.signal) : 'SIGINT';
}

/**
 * `--timeout`: a duration above zero. Zero would give up before the Apache parent can start a single
 * replacement (it looks about once a second); `instead` names the option that really means "do not wait".
 */
export function parseTimeout(value: string, instead = ''): number {
  const ms = parseDuration(value, { option: '--timeout' });
  if (ms <= 0) {
    throw usageError(
      `--timeout ${value} leaves no time for a replacement to start: give a duration above zero, e.g. 30s${instead}`,
    );
  }
  return ms;
}
