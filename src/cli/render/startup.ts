import type { GroupReloadResult } from '../../reload/types.js';

/** "group django: 2 new daemons could not start (pids 12 13)". */
export function describeStartFailed(result: Pick<GroupReloadResult, 'group' | 'startFailed'>): string {
  const failed = result.startFailed ?? [];
  const pids = failed.map((each) => each.pid).join(' ');
  return `group ${result.group}: ${failed.length} new daemon${failed.length === 1 ? '' : 's'} could not start (pid${failed.length === 1 ? '' : 's'} ${pids})`;
}

/** The failed daemons' own log lines, under the outcome. */
export function describeStartLines(result: Pick<GroupReloadResult, 'startFailed'>): string[] {
  return (result.startFailed ?? []).flatMap((each) => each.lines.map((line) => `    ${line}`));
}

/** "group django: replacement pid 12 failed: its WSGI script raised an exception as it loaded". */
export function describeCanaryFailed(result: Pick<GroupReloadResult, 'group' | 'canary'>): string {
  const pids = result.canary?.pids ?? [];
  return `group ${result.group}: replacement${pids.length === 1 ? '' : 's'} ${pids.join(' ')} failed: ${result.canary?.reason ?? 'unknown'}`;
}

/** The failed replacement's own error lines (its traceback), under the outcome. */
export function describeCanaryLines(result: Pick<GroupReloadResult, 'canary'>): string[] {
  return (result.canary?.lines ?? []).map((line) => `    ${line}`);
}
