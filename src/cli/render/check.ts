import { type LogLine, parseLogLine } from '../../errorlog/parse.js';
import { groupBlocks, type LogBlock } from '../../errorlog/select-lines.js';
import { formatSeconds } from '../../format.js';
import type { CheckReport, HealthCheck } from '../../health/types.js';
import type { Paint } from '../color.js';

/** Whether a result carries a check that failed. */
export function isBroken(report: Partial<CheckReport>): boolean {
  return (report.health ?? []).some((entry) => !entry.ok);
}

/** `500 Internal Server Error`, `502 Bad Gateway`, `200 Rejected`: the status line as the server sent it. */
function describeStatus(entry: HealthCheck): string {
  return entry.reason === undefined ? String(entry.status) : `${entry.status} ${entry.reason}`;
}

function describeAnswer(entry: HealthCheck): string {
  const bare = (host: string) => host.replace(/^\[|\]$/g, '');
  const named = bare(new URL(entry.url).hostname);
  const via = named === bare(entry.address.replace(/:\d+$/, '')) ? '' : ` (via ${entry.address})`;
  const answer = entry.status === null ? (entry.error ?? 'no answer') : describeStatus(entry);
  const unexpected = entry.unexpected ? ` (${entry.unexpected})` : '';
  return `GET ${entry.url}${via} -> ${answer} in ${entry.ms}ms${unexpected}`;
}

/** A Python traceback read like a dev server's: where it happened stands out, and so does the error. */
function paintMessage(message: string, color: Paint): string {
  if (/^\s+File "/.test(message)) return color.cyan(message);
  if (/^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt|Warning)\b/.test(message))
    return color.red(color.bold(message));
  return message;
}

/** mod_wsgi 4.x's `mod_wsgi (pid=N): ` says again who wrote the line; kept when it names another process. */
function stripPidPrefix(line: LogLine): string {
  const named = /^mod_wsgi \(pid=(\d+)(, [^)]*)?\): /.exec(line.message);
  return named && Number(named[1]) === line.pid ? line.message.slice(named[0].length) : line.message;
}

function describeBlock(block: LogBlock, color: Paint, indent: string): string[] {
  const [first, ...more] = block.pids;
  const who = first === undefined ? 'no pid' : `pid ${first}`;
  const again =
    block.count > 1
      ? ` (the same ${block.count - 1} more time${block.count > 2 ? 's' : ''}${more.length > 0 ? `, also from pid ${more.join(' ')}` : ''})`
      : '';
  return [
    `${indent}${color.dim(`${who}${again}:`)}`,
    ...block.lines.map((line) => `${indent}  ${paintMessage(stripPidPrefix(line), color)}`),
  ];
}

/** Where the error-log lines come from, or why there are none to show. */
function describeLogs(report: Partial<CheckReport>, color: Paint, indent: string): string[] {
  const logs = report.errorLogs ?? [];
  const unreadable = logs.filter((log) => log.reason !== undefined);
  const read = logs.filter((log) => log.reason === undefined).map((log) => log.path ?? log.written);
  const looked = logs.map((log) => `${log.path ?? log.written}${log.reason ? ` (${log.reason})` : ''}`);
  if ((report.errors ?? []).length > 0) {
    const missed = unreadable.map((log) => `${log.path ?? log.written} (${log.reason})`);
    const note = missed.length > 0 ? color.yellow(`; could not read ${missed.join(', ')}`) : '';
    return [`${indent}error log ${read.join(', ')} since the reload${note}:`];
  }
  if (read.length === 0)
    return [
      color.yellow(`${indent}no error log readable; looked at ${looked.join(', ') || 'nothing configured'}`),
    ];
  const note = unreadable.length > 0 ? `; also looked at ${looked.join(', ')}` : '';
  return [`${indent}nothing from the new daemons in ${read.join(', ')} since the reload${note}`];
}

/** "group django is crash-looping: 4 restarts in 2.31s" */
export function describeCrashLoop(result: {
  group: string;
  ms: number;
  crashLoop?: { restarts: number };
}): string {
  const restarts = result.crashLoop?.restarts ?? 0;
  return `group ${result.group} is crash-looping: ${restarts} restart${restarts === 1 ? '' : 's'} in ${formatSeconds(result.ms)}`;
}

/**
 * The lines a check adds under a reload: each answer, what was not checked, and on failure the log lines;
 * after a crash loop, the log lines about the daemons that died.
 */
export function describeCheck(
  report: Partial<CheckReport> & { crashLoop?: unknown },
  color: Paint,
  indent = '  ',
): string[] {
  if (report.crashLoop) return describeErrors(report, color, indent);
  if (report.health === undefined) return [];
  const lines = report.health.map((entry) =>
    entry.ok
      ? `${indent}${color.green('answered')} ${describeAnswer(entry)}`
      : `${indent}${color.red('failed')} ${describeAnswer(entry)}`,
  );
  for (const note of report.unchecked ?? []) lines.push(color.yellow(`${indent}not checked: ${note}`));
  if (isBroken(report)) lines.push(...describeErrors(report, color, indent));
  return lines;
}

/** The error-log lines of a failed check, each traceback once, or where the check looked for them. */
function describeErrors(report: Partial<CheckReport>, color: Paint, indent: string): string[] {
  const lines = describeLogs(report, color, indent);
  const blocks = groupBlocks((report.errors ?? []).map(parseLogLine));
  for (const block of blocks) lines.push(...describeBlock(block, color, `${indent}  `));
  return lines;
}

/**
 * `watch --check`, like a dev server: nothing but a short line while the app answers, the traceback right
 * under the save that broke it, and a line of its own when a later save fixes it.
 */
export function describeWatchCheck(
  event: CheckReport & { group: string; ok: boolean; recovered: boolean },
  color: Paint,
): string[] {
  const answers = event.health
    .filter((entry) => entry.ok === event.ok)
    .map((entry) => `${new URL(entry.url).pathname} ${entry.status ?? entry.error}`)
    .join(', ');
  if (!event.ok) {
    const head = color.red(`${color.bold(event.group)}: the app is broken: ${answers}`);
    return [head, ...describeErrors(event, color, '  ')];
  }
  if (event.recovered)
    return [color.green(`${color.bold(event.group)}: the app is healthy again (${answers})`)];
  return [`${color.bold(event.group)}: the app answers (${answers})`];
}

/** The one-line error for a group that was reloaded but does not serve: not the words of a failed reload. */
export function describeBroken(result: Partial<CheckReport> & { group: string; instance: number }): string {
  const failed = (result.health ?? []).filter((entry) => !entry.ok);
  const first = failed[0];
  const answer = first
    ? `GET ${first.url} -> ${first.status === null ? first.error : describeStatus(first)}`
    : 'no answer';
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
  return `"${result.group}" (Apache pid ${result.instance}) was reloaded, but its app does not answer: ${answer}${more}; see above`;
}
