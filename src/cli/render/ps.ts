import { formatBytes, formatColumns, formatDuration, formatList } from '../../format.js';
import { describeSocketReaders, socketAccessAdvice } from '../../groups/advice.js';
import type { OrphanDaemon, UntrustedInstance } from '../../groups/discover.js';
import { isUnverified } from '../../groups/evidence.js';
import type { Member } from '../../groups/identify.js';
import type { ApacheInstance, GroupView } from '../../groups/instance.js';
import { instanceMembers } from '../../groups/lookup.js';
import type { Paint } from '../color.js';
import { renderUnverifiedDaemons } from './unverified.js';

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
  /** Apache parents not trusted (trust.ts): one line each. */
  untrusted?: UntrustedInstance[];
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

/**
 * A group without display-name whose daemons this caller cannot tell from Apache's workers (their sockets
 * are closed to it): "0/2 running" would be false, so say why it cannot be counted and what helps.
 */
function describeUnidentifiable(
  group: GroupView,
  parent: ApacheInstance['parent'],
  hidden: Member[],
  coreDumpDirectory: string | null,
): string {
  return `not identifiable (${group.config?.processes} configured): without a display-name its daemons show Apache's own name ${JSON.stringify(parent.argv[0] ?? parent.comm)}, like its workers, and ${describeSocketReaders(
    parent,
    hidden.map((member) => member.process),
    coreDumpDirectory,
  )}: run wsgictl with sudo, or add display-name=%{GROUP} to its WSGIDaemonProcess`;
}

function renderGroup(
  group: GroupView,
  options: RenderOptions & {
    ambiguous: Member[];
    hidden: Member[];
    parent: ApacheInstance['parent'];
    coreDumpDirectory: string | null;
  },
): string[] {
  const { color } = options;
  const configured = group.config ? group.config.processes : null;
  const running = group.members.length;
  if (group.config?.displayName === null && running === 0 && options.hidden.length > 0)
    return [
      `  ${color.bold(group.name)}  ${color.yellow(describeUnidentifiable(group, options.parent, options.hidden, options.coreDumpDirectory))}`,
    ];
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
  const coreDumpDirectory = instance.config.coreDumpDirectory ?? null;
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
  const hidden = instance.children.filter((member) => member.via === 'argv0');
  if (isUnverified(instance) && instance.groups.length > 0)
    lines.push(...renderUnverifiedDaemons(instance, options.now, color));
  else
    for (const group of shown)
      lines.push(...renderGroup(group, { ...options, ambiguous, hidden, parent, coreDumpDirectory }));

  for (const [shows, members] of groupBy(ambiguous, (member) => (member.process.argv[0] ?? '').trimEnd())) {
    const candidates = members[0]?.candidates ?? [];
    const which = candidates.length > 0 ? formatList(candidates, 'or') : 'a group not in the configuration';
    const pids = members.map((member) => member.process.pid).join(' ');
    lines.push(
      color.yellow(
        `  ${members.length} ${members.length === 1 ? 'process shows' : 'processes show'} "${shows}" (pid ${pids}): cut display-name of ${which}; ${socketAccessAdvice(
          parent,
          members.map((m) => m.process),
          coreDumpDirectory,
        )}`,
      ),
    );
  }
  const named = instance.children.filter(
    (member) => member.via === 'display-name' && (groups.length === 0 || groups.includes(member.group ?? '')),
  );
  if (named.length > 0) {
    lines.push(
      color.yellow(
        `  warning: pid ${named.map((m) => m.process.pid).join(' ')} identified by display-name only, without socket evidence; ${socketAccessAdvice(
          parent,
          named.map((m) => m.process),
          coreDumpDirectory,
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
  if (instance.distrust) lines.push(color.red(`  not trusted (named by --instance): ${instance.distrust}`));
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
  // `ps GROUP`: an instance without any of the groups has nothing to show, not even its head.
  const holding = instances.filter(
    (instance) =>
      options.groups.length === 0 || instance.groups.some((group) => options.groups.includes(group.name)),
  );
  const sections = holding.map((instance) => renderInstance(instance, options).join('\n'));
  if (orphans.length > 0) sections.push(renderOrphans(orphans, options).join('\n'));
  const untrusted = options.untrusted ?? [];
  // Not read, so which groups an untrusted Apache has is unknown: `ps GROUP` only counts them.
  const lines =
    options.groups.length === 0
      ? untrusted.map(
          ({ parent, distrust }) =>
            `${parent.comm} pid ${parent.pid} (${parent.user}): not trusted, ${distrust}; not read, never signalled (--instance ${parent.pid} to look at it anyway)`,
        )
      : [];
  if (lines.length > 0) sections.push(options.color.dim(lines.join('\n')));
  const unread =
    options.groups.length > 0 && untrusted.length > 0
      ? ` (${untrusted.length} Apache instance${untrusted.length === 1 ? ' is' : 's are'} not trusted and not read: see \`wsgictl ps\`)`
      : '';
  if (sections.length === 0 && (instances.length > 0 || unread))
    return `no group ${options.groups.map((name) => `"${name}"`).join(', ')} in any Apache instance${unread}`;
  if (sections.length > 0 && unread) sections.push(options.color.dim(unread.trim().replace(/^\(|\)$/g, '')));
  if (sections.length === 0)
    return 'no Apache (apache2/httpd) is running on this machine; try `wsgictl demo`';
  return sections.join('\n\n');
}
