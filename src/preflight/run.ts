import { PreflightError } from './error.js';
import { type PreflightDeps, type PreflightTarget, preflightGroup } from './preflight.js';
import type { PreflightReport } from './types.js';

/**
 * The pre-flight of every group a reload plans, one after another, before any of them is signalled: one
 * group that fails (or cannot be checked safely) refuses the whole reload with a PreflightError.
 */
export async function preflightPlans(
  targets: PreflightTarget[],
  deps?: PreflightDeps,
  mode: 'compile' | 'import' = 'compile',
): Promise<PreflightReport[]> {
  const reports: PreflightReport[] = [];
  for (const target of targets) reports.push(await preflightGroup(target, deps, mode));
  if (reports.some((report) => report.status === 'failed' || report.status === 'refused')) {
    throw new PreflightError(reports);
  }
  return reports;
}

/** The report of a group's result, by instance and group. */
export function findReport(
  reports: PreflightReport[],
  result: { instance: number; group: string },
): PreflightReport | undefined {
  return reports.find((report) => report.instance === result.instance && report.group === result.group);
}
