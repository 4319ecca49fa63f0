/**
 * What may reach a terminal. Group names, paths, log lines, error messages and a remote host's output come
 * from files, processes and hosts that other users control, and wsgictl runs as root: a raw ESC in them
 * could retitle the window, clear the screen or write the clipboard (OSC 52). Every such string passes
 * through here before human output; colour is added after, and JSON output never comes here.
 */

/** A name, a path, a host: one line, cut beyond this many characters. */
export const FIELD_MAX_CHARS = 512;
/** A message, which may name a few fields (an error, a doubt, a warning): one line too. */
export const MESSAGE_MAX_CHARS = 2048;
/** A log line or a line of a host's output: Apache's own lines stay under 8 KiB (MAX_STRING_LEN). */
export const LINE_MAX_CHARS = 8192;

// Controls a terminal acts on (C0, DEL, C1), characters that reorder the text shown around them (bidi
// embeddings, overrides and isolates, the marks, line and paragraph separators), and lone surrogates.
const UNSAFE = String.raw`[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]`;

interface Rule {
  /** Every unsafe character, for a replace over the whole text. */
  all: RegExp;
  /** Whether one character (a code point) is unsafe. */
  one: RegExp;
}

function ruleOf(source: string): Rule {
  return { all: new RegExp(source, 'g'), one: new RegExp(`^(?:${source})$`) };
}

const IN_FIELD = ruleOf(UNSAFE);
// Lines keep their tabs and line breaks: only a lone CR (which moves back over a line) is shown escaped.
const IN_LINES = ruleOf(UNSAFE.replace(String.raw`\x00-\x1f`, String.raw`\x00-\x08\x0b-\x1f`));

const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** The visible form, as Apache writes control characters into its error log: `\x1b`, `\u202e`. */
function showEscaped(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * The text with unsafe characters escaped and, when that is longer than `maxChars`, cut to whole characters
 * with `...(N more)` (N counts the original's characters left out). The result is never longer than
 * `maxChars`, so applying it twice changes nothing.
 */
function escapeAndCut(text: string, rule: Rule, maxChars: number): string {
  if (text.length <= maxChars) {
    const escaped = text.replace(rule.all, showEscaped);
    if (escaped.length <= maxChars) return escaped;
  }
  const marker = (rest: number) => `...(${rest} more)`;
  const budget = maxChars - marker(text.length).length;
  let shown = '';
  let used = 0;
  while (used < text.length) {
    const width = (text.codePointAt(used) ?? 0) > 0xffff ? 2 : 1;
    const char = text.slice(used, used + width);
    const piece = rule.one.test(char) ? showEscaped(char) : char;
    if (shown.length + piece.length > budget) break;
    shown += piece;
    used += width;
  }
  return shown + marker(text.length - used);
}

/** A single-line field (a group name, a path, a message): every control character, line breaks too, escaped. */
export function neutralise(text: string, maxChars = FIELD_MAX_CHARS): string {
  return escapeAndCut(text, IN_FIELD, maxChars);
}

/** Multi-line text (log lines, a traceback, a host's table): tabs and line breaks kept, each line cut. */
export function neutraliseLines(text: string, maxLineChars = LINE_MAX_CHARS): string {
  return text
    .split(/(?<=\n)/)
    .map((line) => {
      // A CR right before the line break (CRLF) moves nothing on screen.
      const end = line.endsWith('\r\n') ? '\r\n' : line.endsWith('\n') ? '\n' : '';
      return escapeAndCut(line.slice(0, line.length - end.length), IN_LINES, maxLineChars) + end;
    })
    .join('');
}

/**
 * A copy of plain data (objects, arrays, Maps, Sets) with every string neutralised, for a renderer that
 * turns it into text: the renderer then needs no call per field, and a field added later is covered too.
 * Its strings may be messages, hence the longer default cut. Dates and class instances are kept as they
 * are (renderers read no text out of them).
 */
export function neutraliseDeep<T>(value: T, maxChars = MESSAGE_MAX_CHARS): T {
  const copies = new Map<object, unknown>();
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return neutralise(item, maxChars);
    if (typeof item !== 'object' || item === null) return item;
    const known = copies.get(item);
    if (known !== undefined) return known;
    if (Array.isArray(item)) {
      const copy: unknown[] = [];
      copies.set(item, copy);
      for (const each of item) copy.push(walk(each));
      return copy;
    }
    if (item instanceof Map) {
      const copy = new Map<unknown, unknown>();
      copies.set(item, copy);
      for (const [key, each] of item) copy.set(walk(key), walk(each));
      return copy;
    }
    if (item instanceof Set) {
      const copy = new Set<unknown>();
      copies.set(item, copy);
      for (const each of item) copy.add(walk(each));
      return copy;
    }
    const prototype = Object.getPrototypeOf(item);
    if (prototype !== Object.prototype && prototype !== null) return item;
    const copy: Record<string, unknown> = {};
    copies.set(item, copy);
    for (const [key, each] of Object.entries(item)) copy[key] = walk(each);
    return copy;
  };
  return walk(value) as T;
}
