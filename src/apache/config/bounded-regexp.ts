import { createContext, Script } from 'node:vm';

/** A pattern from a configuration may backtrack for ever (`(a+)+$`): one test gets this long. */
export const REGEXP_TIMEOUT_MS = 50;
/** Longer patterns are not run at all. */
export const MAX_REGEXP_CHARS = 1024;

// One context for every test, made at the first (it costs milliseconds at start-up otherwise): V8 interrupts a
// regular expression run inside vm when its timeout passes.
let sandbox: { context: { pattern: RegExp | null; text: string }; test: Script } | undefined;

/**
 * Whether a regular expression written in a configuration (`<LocationMatch>`, `<DirectoryMatch>`) matches
 * `text`; null when that cannot be told in bounded time: an invalid or too long pattern, or one that ran out
 * of REGEXP_TIMEOUT_MS.
 */
export function testUntrustedRegExp(
  source: string,
  text: string,
  timeoutMs = REGEXP_TIMEOUT_MS,
): boolean | null {
  if (source.length > MAX_REGEXP_CHARS) return null;
  let pattern: RegExp;
  try {
    pattern = new RegExp(source);
  } catch {
    return null;
  }
  sandbox ??= {
    context: createContext({ pattern: null, text: '' }) as { pattern: RegExp | null; text: string },
    test: new Script('pattern.test(text)'),
  };
  const { context, test } = sandbox;
  context.pattern = pattern;
  context.text = text;
  try {
    return test.runInContext(context, { timeout: timeoutMs }) === true;
  } catch {
    return null;
  } finally {
    context.pattern = null;
  }
}
