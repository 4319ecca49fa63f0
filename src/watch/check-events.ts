import type { CheckReport } from '../health/types.js';
import type { ActionReport } from './actions.js';

/** What `watch --check` adds after each group reload: how its app answered, and whether that is news. */
export type CheckEvent = {
  event: 'check';
  group: string;
  instance: number;
  /** Every request was answered by the app. */
  ok: boolean;
  /** The app answers again after a check that failed: the save that fixed it. */
  recovered: boolean;
} & CheckReport;

/**
 * Takes the check off a group reload's report, so the reload line stays a reload line and the check is an
 * event of its own, and remembers which groups were broken, to say when a later save fixes them.
 */
export function createCheckSplitter(): (report: ActionReport) => {
  report: ActionReport;
  check: CheckEvent | null;
} {
  const broken = new Set<string>();
  return (report) => {
    if (report.action !== 'group') return { report, check: null };
    // A crash loop is broken too: the check of the save that fixes it is news.
    if (report.outcome === 'crash-loop' || report.outcome === 'start-failed') broken.add(report.group);
    if (report.health === undefined) return { report, check: null };
    const { health, unchecked = [], errors = [], errorLogs = [], ...reload } = report;
    const ok = health.every((entry) => entry.ok);
    const recovered = ok && broken.delete(report.group);
    if (!ok) broken.add(report.group);
    const check: CheckEvent = {
      event: 'check',
      group: report.group,
      instance: report.instance,
      ok,
      recovered,
      health,
      unchecked,
      errors,
      errorLogs,
    };
    return { report: reload, check };
  };
}
