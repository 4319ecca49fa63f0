/** One line of Apache's error log, in httpd 2.4's default ErrorLogFormat. */
export interface LogLine {
  raw: string;
  /** The module of `[wsgi:error]`, or null when the line has no such field. */
  module: string | null;
  level: string | null;
  /** The `[pid N:tid M]` field: the process that wrote the line (mod_wsgi 4.x and 6.x alike). */
  pid: number | null;
  tid: number | null;
  /** `[remote ADDR]` (mod_wsgi) or `[client ADDR]`: which request the line belongs to. */
  client: string | null;
  /**
   * The text after the fields, indentation kept: a traceback's `  File "...", line 3` stays indented.
   * mod_wsgi 4.x starts its own messages with `mod_wsgi (pid=N): `, 6.x does not; both are kept as written.
   */
  message: string;
}

const LINE =
  /^\[[^\]]*\] \[(?:([^:\]]*):)?([a-z]+\d?)\] \[pid (\d+)(?::tid (\d+))?\](?: \[(?:remote|client) ([^\]]*)\])? ?(.*)$/;

/** Lines that do not fit (a custom ErrorLogFormat, a C library writing to fd 2) keep their text and no fields. */
export function parseLogLine(raw: string): LogLine {
  const match = LINE.exec(raw);
  if (!match) {
    const pid = /\[pid (\d+)/.exec(raw)?.[1];
    return {
      raw,
      module: null,
      level: null,
      pid: pid ? Number(pid) : null,
      tid: null,
      client: null,
      message: raw,
    };
  }
  return {
    raw,
    module: match[1] ?? null,
    level: match[2] ?? null,
    pid: Number(match[3]),
    tid: match[4] === undefined ? null : Number(match[4]),
    client: match[5] ?? null,
    message: match[6] ?? '',
  };
}

/** Splits a chunk of the log into parsed lines; a last line without its newline yet is left out. */
export function parseLogText(text: string, complete = false): LogLine[] {
  const lines = text.split('\n');
  if (!complete) lines.pop();
  return lines.filter((line) => line !== '').map(parseLogLine);
}

const SEVERITY = ['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug'];

/** Whether a level is at least as severe as `floor` (trace levels count below debug). */
export function isAtLeast(level: string | null, floor: string): boolean {
  if (level === null) return false;
  const at = SEVERITY.indexOf(level);
  return at !== -1 && at <= SEVERITY.indexOf(floor);
}
