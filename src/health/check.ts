import type { LogMark } from '../errorlog/file.js';
import { readGroupErrors, reportLog } from '../errorlog/group-errors.js';
import { usageError } from '../errors.js';
import type { ApacheInstance } from '../groups/instance.js';
import { type Expectation, probeTarget } from './probe.js';
import { type CheckTarget, planGroupCheck, planUrlCheck } from './targets.js';
import type { CheckReport, HealthCheck } from './types.js';

export const DEFAULT_CHECK_TIMEOUT_MS = 10_000;

export interface CheckOptions {
  /** URLs to request instead of the group's mount points. */
  urls: string[];
  /** For each request. */
  timeoutMs: number;
  /** `--expect TEXT`: each answer's body must contain it (the release deployed is the one live). */
  expect?: string;
  /** `--expect-status CODE`: each answer must have this status (instead of any below 500). */
  expectStatus?: number;
}

/** What a check of one group in one instance will request, and where its error logs end before the signal. */
export interface PreparedCheck {
  group: string;
  targets: CheckTarget[];
  unchecked: string[];
  logs: LogMark[];
}

export type Probe = (
  target: CheckTarget,
  timeoutMs: number,
  expectation?: Expectation,
) => Promise<HealthCheck>;

/** A check needs replacements to judge: it cannot go with --no-wait, nor with --touch unless --url makes it happen. */
export function assertCheckable(request: { wait?: boolean; touch?: string; url?: string }): void {
  if (request.wait === false)
    throw usageError('--check waits for the replacements to judge them: leave out --no-wait');
  if (request.touch !== undefined && request.url === undefined)
    throw usageError('--check with --touch needs --url, so that the restart happens before the check');
}

/**
 * Before anything is sent: the requests that will prove the group serves, with the marks of its error logs
 * (markGroupLogs). A group with nothing to request is refused (exit 2) while nothing has been sent yet.
 */
export function prepareCheck(
  instance: ApacheInstance,
  group: string,
  options: CheckOptions,
  logs: LogMark[],
): PreparedCheck {
  const plan =
    options.urls.length > 0
      ? { targets: options.urls.map((url) => planUrlCheck(instance.config, url)), unchecked: [] }
      : planGroupCheck(instance.config, group);
  if (plan.targets.length === 0) {
    const why = plan.unchecked.join('; ') || 'no WSGIScriptAlias in its configuration sends requests to it';
    throw usageError(
      `--check: nothing to request for "${group}" under ${instance.parent.comm} (pid ${instance.parent.pid}), nothing was sent: ${why}; pass --check URL`,
    );
  }
  return { group, ...plan, logs };
}

/**
 * After the replacements are up: one request per target, all at once; when any fails, the lines the new
 * daemons (or the parent, about the group) wrote to the error logs since the mark.
 */
export async function runCheck(
  prepared: PreparedCheck,
  pids: { newPids: number[]; oldPids: number[] },
  timeoutMs: number,
  probe: Probe = probeTarget,
  expectation: Expectation = {},
): Promise<CheckReport> {
  const health = await Promise.all(prepared.targets.map((target) => probe(target, timeoutMs, expectation)));
  const report: CheckReport = { health, unchecked: prepared.unchecked, errors: [], errorLogs: [] };
  if (health.every((entry) => entry.ok)) {
    report.errorLogs = prepared.logs.map((mark) => reportLog(mark));
    return report;
  }
  return { ...report, ...readGroupErrors(prepared.logs, prepared.group, pids) };
}

/**
 * A reload result with its check: run once the replacements are up, or once the wait gave up on them (the
 * error log then often says why). A dry run, or a reload that was not waited for, is left as it is.
 */
export async function addCheck<T extends { outcome: string; newPids: number[]; oldPids: number[] }>(
  result: T,
  prepared: PreparedCheck | undefined,
  options: CheckOptions | undefined,
  probe: Probe = probeTarget,
): Promise<T & Partial<CheckReport>> {
  if (!prepared || !options || (result.outcome !== 'replaced' && result.outcome !== 'timeout')) return result;
  const expectation = { text: options.expect, status: options.expectStatus };
  return { ...result, ...(await runCheck(prepared, result, options.timeoutMs, probe, expectation)) };
}
