import { formatBytes, formatColumns, formatDuration } from '../../format.js';
import { neutraliseDeep } from '../../terminal.js';
import type { TopGroup, TopMember, TopSnapshot } from '../../top/types.js';
import type { Paint } from '../color.js';

export interface TopRenderOptions {
  color: Paint;
  /** Which groups show their members (`instance group` keys), or every group. */
  expanded: ReadonlySet<string> | 'all';
  /** The index of the selected group (the interactive view), if any. */
  selected?: number;
  /** Milliseconds since the epoch, for "2m ago". */
  now: number;
}

/** The key of a group of an instance: two instances may each have a group of the same name. */
export function groupKey(group: Pick<TopGroup, 'instance' | 'group'>): string {
  return `${group.instance} ${group.group}`;
}

function percent(value: number | null): string {
  return value === null ? '-' : value.toFixed(1);
}

function count(value: number | null): string {
  return value === null ? '-' : String(value);
}

function describeLast(group: TopGroup, now: number): string {
  if (group.restarts === null) return '';
  const last = group.lastRestart;
  if (!last) return '-';
  return `${last.reason} ${formatDuration(now - Date.parse(last.at))} ago (pid ${last.pid})`;
}

/** The count; with `since HH:MM` when the log read starts after the hour (a big log is read from its end). */
function describeRestarts(group: TopGroup, snapshot: TopSnapshot): string {
  if (group.restarts === null) return '?';
  if (group.restartsSince <= snapshot.restartsSince) return String(group.restarts);
  return `${group.restarts} since ${new Date(group.restartsSince).toTimeString().slice(0, 5)}`;
}

function memberRow(member: TopMember): string[] {
  return [
    `  ${member.pid}`,
    formatDuration(member.uptimeMs),
    percent(member.cpuPercent),
    formatBytes(member.rssBytes),
    count(member.threads),
    count(member.inFlight),
    member.state,
  ];
}

/**
 * The table of `top`: one row per group, its members under it when expanded. Names are expected
 * neutralised (the caller passes a neutralised snapshot). Restarts that cannot be counted show `?`, and
 * why is said once under the table.
 */
export function renderTop(snapshot: TopSnapshot, options: TopRenderOptions): string[] {
  const { color } = options;
  const rows: string[][] = [
    ['INSTANCE', 'GROUP', 'UP', 'CPU%', 'RSS', 'INFLIGHT', 'RESTARTS/1h', 'LAST RESTART'],
  ];
  const kinds: ('head' | 'group' | 'selected' | 'members' | 'member')[] = ['head'];
  snapshot.groups.forEach((group, index) => {
    rows.push([
      String(group.instance),
      group.group,
      `${group.up}/${group.configured ?? '?'}`,
      percent(group.cpuPercent),
      formatBytes(group.rssBytes),
      count(group.inFlight),
      describeRestarts(group, snapshot),
      describeLast(group, options.now),
    ]);
    kinds.push(index === options.selected ? 'selected' : 'group');
    const open = options.expanded === 'all' || options.expanded.has(groupKey(group));
    if (!open || group.members.length === 0) return;
    rows.push(['  PID', 'UPTIME', 'CPU%', 'RSS', 'THREADS', 'INFLIGHT', 'STATE']);
    kinds.push('members');
    for (const member of group.members) {
      rows.push(memberRow(member));
      kinds.push('member');
    }
  });
  const lines = formatColumns(rows).map((line, i) => {
    const kind = kinds[i];
    if (kind === 'head' || kind === 'members') return `  ${color.dim(line)}`;
    if (kind === 'selected') return color.bold(`> ${line}`);
    return `  ${line}`;
  });
  if (snapshot.groups.length === 0) lines.push('  (no mod_wsgi daemon groups)');
  const unknown = [...new Set(snapshot.groups.map((group) => group.restartsUnknown).filter(Boolean))];
  for (const why of unknown) lines.push(color.yellow(`restarts ?: ${why}`));
  for (const note of snapshot.notes) lines.push(color.yellow(`note: ${note}`));
  return lines;
}

/** The table `--once` and a piped `top` print: every group expanded, the snapshot's text neutralised. */
export function formatTopTable(snapshot: TopSnapshot, color: Paint): string {
  const shown = neutraliseDeep(snapshot);
  return `${renderTop(shown, { color, expanded: 'all', now: Date.parse(snapshot.at) }).join('\n')}\n`;
}
