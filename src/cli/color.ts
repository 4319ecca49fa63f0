import { Chalk, type ChalkInstance } from 'chalk';

/**
 * The colour level for an output stream. chalk 5 ignores NO_COLOR, so it is honoured here: NO_COLOR (any
 * non-empty value) and FORCE_COLOR=0 turn colour off, a non-TTY stream has none unless FORCE_COLOR asks.
 */
export function colorLevel(env: NodeJS.ProcessEnv, isTTY: boolean): 0 | 1 | 2 | 3 {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  const force = env.FORCE_COLOR;
  if (force === '0' || force === 'false') return 0;
  if (force !== undefined) return force === '2' ? 2 : force === '3' ? 3 : 1;
  if (!isTTY || env.TERM === 'dumb') return 0;
  return env.COLORTERM === 'truecolor' ? 3 : 2;
}

export function createColor(env: NodeJS.ProcessEnv, isTTY: boolean): ChalkInstance {
  return new Chalk({ level: colorLevel(env, isTTY) });
}
