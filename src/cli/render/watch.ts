import { isAbsolute, join, relative, sep } from 'node:path';
import { formatSeconds } from '../../format.js';
import { summarizeMembers } from '../../reload/confirm/result.js';
import type { WatchEvent } from '../../watch/loop.js';
import type { Paint } from '../color.js';
import { describeCheck, describeWatchCheck } from './check.js';

/** A path as the user would type it: relative when it is below the working directory, else absolute. */
function showPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  if (rel === '') return '.';
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/** How a watched path is printed. */
export type ShowPath = (path: string) => string;

/**
 * Paths below a PATH the user gave, shown under that PATH as typed (`/tmp/x/src/a.py`, not `x/src/a.py`
 * when run in /tmp); `typed` maps each PATH's real path to its text. Other paths as `showPath` has them.
 */
export function createShowPath(typed: ReadonlyMap<string, string>, cwd: string): ShowPath {
  const longestFirst = [...typed].sort((a, b) => b[0].length - a[0].length);
  return (path) => {
    for (const [real, given] of longestFirst) {
      if (path === real) return given;
      const prefix = real.endsWith(sep) ? real : real + sep;
      if (path.startsWith(prefix)) return join(given, path.slice(prefix.length));
    }
    return showPath(cwd, path);
  };
}

function toShowPath(cwd: string | ShowPath): ShowPath {
  return typeof cwd === 'string' ? (path) => showPath(cwd, path) : cwd;
}

function clock(date: Date): string {
  return date.toTimeString().slice(0, 8);
}

/** "src/app.py", "src/app.py, src/urls.py", "src/app.py and 41 more". */
export function describeFiles(files: string[], cwd: string | ShowPath): string {
  const show = toShowPath(cwd);
  const shown = files.map((file) => (file === '*' ? '(events overflowed)' : show(file)));
  if (shown.length <= 3) return shown.join(', ');
  return `${shown.slice(0, 2).join(', ')} and ${shown.length - 2} more`;
}

/** The human line(s) for one event; '' for events that print nothing. */
export function formatWatchEvent(
  event: WatchEvent,
  color: Paint,
  cwd: string | ShowPath,
  at = new Date(),
): string {
  const time = color.dim(clock(at));
  switch (event.event) {
    case 'ready': {
      const paths = event.paths.map(toShowPath(cwd)).join(', ');
      const mode = event.mode === 'poll' ? 'polling' : 'native events';
      return `${time} watching ${paths} (${mode}, debounce ${event.debounceMs}ms) -> ${event.actions.join(', ')}; Ctrl-C stops`;
    }
    case 'change':
      return '';
    case 'error': {
      const label = event.waiting
        ? color.yellow('waiting:')
        : event.warning
          ? color.yellow('warning:')
          : color.red('error:');
      return `${time} ${label} ${event.message}`;
    }
    case 'check':
      return describeWatchCheck(event, color)
        .map((line, i) => (i === 0 ? `${time} ${line}` : line))
        .join('\n');
    case 'reload': {
      const files = describeFiles(event.files, cwd);
      if (event.action === 'touch') return `${time} ${files} -> touched ${event.script}`;
      if (event.action === 'exec') {
        return `${time} ${files} -> restarted ${color.bold(event.command)}: pid ${event.oldPid ?? '-'} -> ${event.newPid ?? '-'} in ${formatSeconds(event.ms)}`;
      }
      const pids = `${event.oldPids.join(' ') || '-'} -> ${event.newPids.join(' ') || '-'}`;
      const outcome =
        event.outcome === 'replaced'
          ? color.green(`in ${formatSeconds(event.ms)}`)
          : event.outcome === 'timeout'
            ? color.red(`timeout after ${formatSeconds(event.ms)}: ${summarizeMembers(event.members)}`)
            : event.outcome === 'crash-loop'
              ? color.red(
                  `crash-looping: ${event.crashLoop?.restarts} restarts in ${formatSeconds(event.ms)}`,
                )
              : event.outcome;
      const skipped = event.skipped.length > 0 ? color.yellow(` (skipped ${event.skipped.length})`) : '';
      // After a crash loop, what the error log says about the daemons that died, right under the line.
      return [
        `${time} ${files} -> ${color.bold(event.group)}${event.host ? ` on ${event.host}` : ''} (Apache pid ${event.instance}) ${event.signal}: ${pids} ${outcome}${skipped}`,
        ...describeCheck(event, color),
      ].join('\n');
    }
  }
}
