import { constants } from 'node:os';
import { parseDuration } from '../duration.js';
import { usageError } from '../errors.js';

/** The signals a mod_wsgi daemon takes as "restart": INT and TERM now, USR1 after draining. */
export const RESTART_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGUSR1'] as const satisfies readonly NodeJS.Signals[];

export type RestartSignal = (typeof RESTART_SIGNALS)[number];

/**
 * The signals mod_wsgi 6.x hands to the application (`mod_wsgi.subscribe_signals`: a configuration reload, a
 * stack dump) without restarting the daemon. 4.x and 5.x install no handler for them.
 */
export const APP_SIGNALS = ['SIGHUP', 'SIGUSR2'] as const satisfies readonly NodeJS.Signals[];

export type AppSignal = (typeof APP_SIGNALS)[number];

function findSignal<T extends NodeJS.Signals>(names: readonly T[], text: string): T | undefined {
  return /^\d+$/.test(text)
    ? names.find((name) => constants.signals[name] === Number(text))
    : names.find((name) => name === text || name === `SIG${text}`);
}

function listSignals(names: readonly NodeJS.Signals[]): string {
  return names.map((name) => `${name.slice(3)} (${constants.signals[name]})`).join(', ');
}

/** `wsgictl signal`'s signal: HUP or USR2, with or without SIG, or the number; a restart signal points to reload. */
export function parseAppSignal(value: string): AppSignal {
  const text = value.trim().toUpperCase();
  const found = findSignal(APP_SIGNALS, text);
  if (found) return found;
  const restart = findSignal(RESTART_SIGNALS, text);
  if (restart) {
    throw usageError(
      `signal "${value}" restarts a mod_wsgi daemon: use \`wsgictl reload --signal ${restart.slice(3)}\`; \`signal\` sends ${listSignals(APP_SIGNALS)}, which the application receives`,
    );
  }
  throw usageError(
    `signal "${value}" is not one mod_wsgi passes to the application: use ${listSignals(APP_SIGNALS)}, with or without the SIG prefix`,
  );
}

/** Reads a signal as a name with or without SIG, or a number; only the ones mod_wsgi restarts on. */
export function parseSignal(value: string): RestartSignal {
  const text = value.trim().toUpperCase();
  const found = findSignal(RESTART_SIGNALS, text);
  if (found) return found;
  const valid = listSignals(RESTART_SIGNALS);
  if (isKill(text)) {
    throw usageError(
      `signal "${value}" ${KILL_REFUSAL}; use one of ${valid}, and --kill-after DURATION to SIGKILL what still runs after that long`,
    );
  }
  throw usageError(
    `signal "${value}" does not restart a mod_wsgi daemon: use one of ${valid}, with or without the SIG prefix`,
  );
}

/**
 * Why KILL is no first signal, in its own words: the parent does replace a killed daemon, but the daemon gets
 * no shutdown (in-flight requests cut, atexit and cleanup skipped). --kill-after sends it after a clean try.
 */
const KILL_REFUSAL =
  'is not a first signal here: it does restart a mod_wsgi daemon (the parent starts a new one), but it cuts the requests in flight and skips all cleanup';

function isKill(text: string): boolean {
  return ['KILL', 'SIGKILL', String(constants.signals.SIGKILL)].includes(text);
}

/**
 * The core's own check, for library callers whose types did not stop them (plain JavaScript, a value read
 * from a file). mod_wsgi shuts a daemon down cleanly on INT, TERM and USR1 only; SIGKILL also gets it
 * replaced, but with no shutdown at all, so it only follows a first signal (`killAfterMs`).
 */
export function assertRestartSignal(value: unknown): RestartSignal {
  const known = RESTART_SIGNALS.find((name) => name === value);
  if (known) return known;
  const shown = typeof value === 'string' ? `"${value}"` : String(value);
  if (value === 'SIGKILL' || value === constants.signals.SIGKILL) {
    throw usageError(
      `signal ${shown} ${KILL_REFUSAL}; pass one of ${RESTART_SIGNALS.join(', ')}, and killAfterMs to SIGKILL what still runs after that long`,
    );
  }
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
