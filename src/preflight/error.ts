import { WsgictlError } from '../errors.js';
import type { PreflightReport } from './types.js';

/** Where a failure points: `file:line`. */
export function describePlace(failure: { path: string; line: number | null }): string {
  return failure.line === null ? failure.path : `${failure.path}:${failure.line}`;
}

function describeReport(report: PreflightReport): string {
  if (report.status === 'refused') return `pre-flight of "${report.group}" could not run: ${report.reason}`;
  const [first] = report.failures;
  const more = report.failures.length > 1 ? ` (and ${report.failures.length - 1} more file(s))` : '';
  const what = first?.traceback ? 'raises at import' : 'does not compile';
  return `"${report.group}" ${what}: ${first ? `${describePlace(first)}: ${first.type}: ${first.message}` : ''}${more}`;
}

/** A reload refused before any signal: some group's code does not compile, or could not be checked safely. */
export class PreflightError extends WsgictlError {
  readonly reports: PreflightReport[];

  constructor(reports: PreflightReport[]) {
    const bad = reports.filter((report) => report.status === 'failed' || report.status === 'refused');
    super(
      'FAILED',
      `${bad.map(describeReport).join('; ')}; nothing was signalled (fix it and reload again, or --no-preflight to reload without the check)`,
    );
    this.name = 'PreflightError';
    this.reports = reports;
  }
}
