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
