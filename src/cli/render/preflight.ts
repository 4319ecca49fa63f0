import { formatElapsed } from '../../format.js';
import { describePlace } from '../../preflight/error.js';
import type { PreflightReport } from '../../preflight/types.js';
import type { Paint } from '../color.js';

/** `--no-preflight`'s help: why it is on by default. */
export const NO_PREFLIGHT_HELP =
  "skip the pre-flight: by default the group's WSGI scripts and the .py files changed since its daemons started are compiled (not run) with its own Python, as its user, and nothing is signalled if one does not compile";

/** `--preflight MODE`'s help: what import adds, and why it is not the default. */
export const PREFLIGHT_MODE_HELP =
  "compile (the default) or import: then also import each WSGI script once it compiles, in a child process as the group's user with its python-path and home, bounded in time (20s), and refuse on an exception with its traceback; not the default because importing runs the app's module-level code (connections, files, threads) outside Apache";

/** One line for a group's pre-flight, and its notes: `wsgictl: django: pre-flight: 3 files compiled ...`. */
export function describePreflight(
  report: PreflightReport | undefined,
  color: Paint,
  group: string,
): string[] {
  if (!report) return [];
  const head = `${color.yellow('wsgictl:')} ${group}: pre-flight`;
  const took = formatElapsed(report.ms);
  const notes = report.notes.map((note) => `${head}: ${color.yellow(note)}`);
  if (report.status === 'skipped') return [`${head} skipped: ${report.reason}`, ...notes];
  const count = report.files.length;
  const python = report.python ? ` with ${report.python.path} (${report.python.version})` : '';
  const imported = report.imported
    ? `, ${report.imported.length} script${report.imported.length === 1 ? '' : 's'} imported`
    : '';
  return [
    `${head}: ${count} file${count === 1 ? '' : 's'} compiled${imported}${python} in ${took}`,
    ...notes,
  ];
}

/** Each file that does not compile, as the compiler put it: `file:line: Type: message`, its line, a caret. */
export function describePreflightFailures(reports: PreflightReport[], color: Paint): string[] {
  const lines: string[] = [];
  for (const report of reports) {
    if (report.status === 'refused') {
      lines.push(`${color.bold(report.group)}: pre-flight could not run: ${report.reason}`);
      continue;
    }
    if (report.status !== 'failed') continue;
    const took = formatElapsed(report.ms);
    const raised = report.failures.filter((failure) => failure.traceback).length;
    lines.push(
      raised > 0
        ? `${color.bold(report.group)} (Apache pid ${report.instance}): pre-flight failed, ${raised} of ${report.imported?.length ?? raised} WSGI scripts raise when imported (${took}); nothing was signalled`
        : `${color.bold(report.group)} (Apache pid ${report.instance}): pre-flight failed, ${report.failures.length} of ${report.files.length} files do not compile (${took}); nothing was signalled`,
    );
    for (const failure of report.failures) {
      if (failure.traceback) {
        lines.push(color.red(`  ${describePlace(failure)}: ${failure.type}: ${failure.message}`));
        for (const line of failure.traceback) lines.push(`    ${line}`);
        continue;
      }
      lines.push(color.red(`  ${describePlace(failure)}: ${failure.type}: ${failure.message}`));
      const text = failure.text?.replace(/\n$/, '');
      if (text) {
        lines.push(`    ${text}`);
        if (failure.offset !== null && failure.offset > 0)
          lines.push(`    ${' '.repeat(Math.min(failure.offset - 1, text.length))}^`);
      }
    }
    for (const note of report.notes) lines.push(color.yellow(`  pre-flight: ${note}`));
  }
  return lines;
}
