import { socketAccessAdvice } from '../apache/advice.js';
import type { ApacheInstance, GroupView, OrphanDaemon } from '../apache/discover.js';
import type { Member } from '../apache/identify.js';
import type { Paint } from '../cli/color.js';
import { formatBytes, formatColumns, formatDuration, formatList } from '../format.js';
import { instanceMembers } from './select.js';

/** One line of `wsgictl ps --json`. */
export interface PsRecord {
  pid: number;
  ppid: number;
  user: string;
  uid: number;
  startedAt: string;
  /** `orphan`: a daemon whose Apache parent is gone; listed, never signalled. */
  role: Member['role'] | 'orphan';
  group: string | null;
  via: Member['via'] | null;
  candidates: string[];
  /** For daemons: false when any doubt stands against the instance's identification (see `doubts`). */
  verified: boolean | null;
  /** Why the identification is not trusted; a reload of any group of the instance refuses (exit 5). */
  doubts: string[];
  /** The Apache parent's pid; for an orphan, the parent its socket names (null when unknown). */
  instance: number | null;
  rssBytes: number | null;
  cmd: string;
  /** Windows: the service the instance runs as, when it runs as one. */
  service?: string;
}

function toRecord(member: Member, instance: ApacheInstance, service: string | undefined): PsRecord {
  const { process } = member;
  return {
    ...(service === undefined ? {} : { service }),
    pid: process.pid,
    ppid: process.ppid,
    user: process.user,
    uid: process.uid,
    startedAt: process.startedAt.toISOString(),
    role: member.role,
    group: member.group,
    via: member.via,
    candidates: member.candidates,
    verified: member.role === 'daemon' ? instance.doubts.length === 0 : null,
    doubts: member.role === 'daemon' ? instance.doubts.map((doubt) => doubt.reason) : [],
    instance: instance.parent.pid,
    rssBytes: process.rssBytes,
    cmd: process.argv.join(' '),
  };
}

function toOrphanRecord(orphan: OrphanDaemon): PsRecord {
  const { process } = orphan;
  return {
    pid: process.pid,
    ppid: process.ppid,
    user: process.user,
    uid: process.uid,
    startedAt: process.startedAt.toISOString(),
    role: 'orphan',
    group: orphan.group,
    via: null,
    candidates: [],
    verified: null,
    doubts: [],
    instance: orphan.formerParent,
    rssBytes: process.rssBytes,
    cmd: process.argv.join(' '),
  };
}

/**
 * A flat list of every process of every instance, then the orphaned daemons; with group names, only the
 * daemons that could be theirs.
 */
export function toPsRecords(
  instances: ApacheInstance[],
  groups: string[] = [],
  services?: ReadonlyMap<number, string>,
  orphans: OrphanDaemon[] = [],
): PsRecord[] {
  const wanted = (group: string | null) => groups.length === 0 || (group !== null && groups.includes(group));
  const records = instances.flatMap((instance) =>
    instanceMembers(instance)
      .filter(
        (member) =>
          groups.length === 0 ||
          (member.group !== null && groups.includes(member.group)) ||
          member.candidates.some((candidate) => groups.includes(candidate)),
      )
      .map((member) => toRecord(member, instance, services?.get(instance.parent.pid))),
  );
  return [...records, ...orphans.filter((orphan) => wanted(orphan.group)).map(toOrphanRecord)];
}

export interface RenderOptions {
  groups: string[];
  /** Also list the Apache parent and its workers. */
  workers: boolean;
  now: number;
  color: Paint;
  /** Windows: Apache parent pid -> the service it runs as (see windows/service.ts findServiceByPid). */
  services?: ReadonlyMap<number, string>;
  /** Daemons whose Apache parent is gone. */
  orphans?: OrphanDaemon[];
}

function processRows(members: Member[], now: number): string[][] {
  return members.map((member) => [
    String(member.process.pid),
    member.process.user,
    formatDuration(now - member.process.startedAt.getTime()),
    formatBytes(member.process.rssBytes),
    member.role === 'daemon' ? member.via : member.role,
  ]);
}

function renderGroup(group: GroupView, options: RenderOptions & { ambiguous: Member[] }): string[] {
  const { color } = options;
  const configured = group.config ? group.config.processes : null;
  const running = group.members.length;
  const unsure = options.ambiguous.filter((member) => member.candidates.includes(group.name)).length;
  const state = unsure > 0 ? `identified, ${unsure} ambiguous` : 'running';
  const count =
    configured === null
      ? `${running} running (not in the configuration read)`
      : `${running}/${configured} ${state}`;
  const healthy = configured !== null && running === configured && group.verified;
  const display = group.config?.displayName ? `  display-name=${group.config.displayName}` : '';
  const unverified = group.verified ? '' : color.red('  unverified');
  const lines = [
    `  ${color.bold(group.name)}  ${healthy ? color.green(count) : color.yellow(count)}${unverified}${color.dim(display)}`,
  ];
  if (running > 0) {
    const header = ['PID', 'USER', 'UPTIME', 'RSS', 'IDENTIFIED BY'];
    const [head, ...rows] = formatColumns([header, ...processRows(group.members, options.now)], '    ');
    lines.push(color.dim(head ?? ''), ...rows);
  }
  return lines;
}

function renderInstance(instance: ApacheInstance, options: RenderOptions): string[] {
  const { color, groups } = options;
  const { parent } = instance;
  const service = options.services?.get(parent.pid);
  const lines = [
    `${color.cyan(color.bold(parent.comm))} ${color.bold(`pid ${parent.pid}`)}${service ? `  service ${color.bold(service)}` : ''}  ${instance.config.configFile}  ${color.dim(
      `up ${formatDuration(options.now - parent.startedAt.getTime())}, ${parent.user}`,
    )}`,
  ];
  const shown = instance.groups.filter((group) => groups.length === 0 || groups.includes(group.name));
  if (instance.groups.length === 0) lines.push(color.dim('  no WSGIDaemonProcess in its configuration'));
  const ambiguous = instance.children.filter(
    (member) =>
      member.via === 'ambiguous' &&
      (groups.length === 0 || member.candidates.some((c) => groups.includes(c))),
  );
  for (const group of shown) lines.push(...renderGroup(group, { ...options, ambiguous }));

  for (const [shows, members] of groupBy(ambiguous, (member) => (member.process.argv[0] ?? '').trimEnd())) {
    const candidates = members[0]?.candidates ?? [];
    const which = candidates.length > 0 ? formatList(candidates, 'or') : 'a group not in the configuration';
    const pids = members.map((member) => member.process.pid).join(' ');
    lines.push(
      color.yellow(
        `  ${members.length} ${members.length === 1 ? 'process shows' : 'processes show'} "${shows}" (pid ${pids}): cut display-name of ${which}; ${socketAccessAdvice(
          parent,
          members.map((m) => m.process),
        )}`,
      ),
    );
  }
  const hidden = instance.children.filter((member) => member.via === 'argv0');
  const silent = instance.config.groups
    .filter((group) => group.displayName === null)
    .map((group) => group.name);
  if (hidden.length > 0 && silent.length > 0) {
    lines.push(
      color.yellow(
        `  ${formatList(silent)} ${silent.length === 1 ? 'has' : 'have'} no display-name and ${hidden.length} children look like workers: ${socketAccessAdvice(
          parent,
          hidden.map((m) => m.process),
        )}`,
      ),
    );
  }
  if (options.workers) {
    const others = instanceMembers(instance).filter((member) => member.role !== 'daemon');
    const [head, ...rows] = formatColumns(
      [['PID', 'USER', 'UPTIME', 'RSS', 'ROLE'], ...processRows(others, options.now)],
      '    ',
    );
    lines.push(`  ${color.bold('parent and workers')}`, color.dim(head ?? ''), ...rows);
  }
  for (const warning of instance.warnings) lines.push(color.yellow(`  warning: ${warning}`));
  if (instance.doubts.length > 0) {
    lines.push(
      color.red('  unverified: reload refuses every group here (exit 5) while any of these stands:'),
    );
    for (const doubt of instance.doubts) lines.push(color.red(`    ${doubt.kind}: ${doubt.reason}`));
  }
  return lines;
}

function renderOrphans(orphans: OrphanDaemon[], options: RenderOptions): string[] {
  const { color } = options;
  const rows = orphans.map((orphan) => [
    String(orphan.process.pid),
    orphan.process.user,
    formatDuration(options.now - orphan.process.startedAt.getTime()),
    orphan.group ?? '?',
    orphan.formerParent === null ? '?' : String(orphan.formerParent),
  ]);
  const [head, ...body] = formatColumns([['PID', 'USER', 'UPTIME', 'GROUP', 'FORMER PARENT'], ...rows], '  ');
  return [
    color.yellow(
      `${color.bold('orphaned Apache children')}: their Apache parent is gone, nothing will replace them, wsgictl never signals them`,
    ),
    color.dim(head ?? ''),
    ...body,
  ];
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** The human `wsgictl ps` output. */
export function renderPs(instances: ApacheInstance[], options: RenderOptions): string {
  const orphans = (options.orphans ?? []).filter(
    (orphan) =>
      options.groups.length === 0 || (orphan.group !== null && options.groups.includes(orphan.group)),
  );
  const sections = instances.map((instance) => renderInstance(instance, options).join('\n'));
  if (orphans.length > 0) sections.push(renderOrphans(orphans, options).join('\n'));
  if (sections.length === 0)
    return 'no Apache (apache2/httpd) is running on this machine; try `wsgictl demo`';
  return sections.join('\n\n');
}
