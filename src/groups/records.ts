import type { OrphanDaemon, UntrustedInstance } from './discover.js';
import { type DaemonEvidence, isUnverified, readEvidence } from './evidence.js';
import type { Member } from './identify.js';
import type { ApacheInstance } from './instance.js';
import { instanceMembers } from './lookup.js';

/**
 * One line of `wsgictl ps --json`. A daemon of an unverified instance has `group: null`, no candidates,
 * and the raw evidence instead (`socketId`, `socketPath`, `displayName`): the labels are what is in doubt.
 */
export interface PsRecord extends Partial<DaemonEvidence> {
  pid: number;
  ppid: number;
  user: string;
  uid: number;
  startedAt: string;
  /**
   * `orphan`: a daemon whose Apache parent is gone; listed, never signalled. `untrusted`: an apache2/httpd
   * parent wsgictl does not trust (see `distrust`); listed, never read or signalled.
   */
  role: Member['role'] | 'orphan' | 'untrusted';
  group: string | null;
  via: Member['via'] | null;
  /**
   * For daemons: what their group rests on. `socket`: the group's own listener socket, which it holds;
   * `display-name`: only what argv[0] shows (its sockets could not be read), which a cut name or a group
   * without display-name can make ambiguous.
   */
  evidence: Evidence | null;
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
  /** False for an Apache parent run by another user or from a file others may write (see `distrust`). */
  trusted: boolean;
  /** Why it is not trusted; its configuration was not read and nothing of it is signalled. */
  distrust: string | null;
}

export type Evidence = 'socket' | 'display-name';

function evidenceOf(member: Member): Evidence | null {
  if (member.role !== 'daemon') return null;
  return member.via === 'socket' ? 'socket' : 'display-name';
}

function toRecord(member: Member, instance: ApacheInstance, service: string | undefined): PsRecord {
  const { process } = member;
  const withheld = member.role === 'daemon' && isUnverified(instance);
  return {
    ...(service === undefined ? {} : { service }),
    pid: process.pid,
    ppid: process.ppid,
    user: process.user,
    uid: process.uid,
    startedAt: process.startedAt.toISOString(),
    role: member.role,
    group: withheld ? null : member.group,
    via: member.via,
    evidence: evidenceOf(member),
    candidates: withheld ? [] : member.candidates,
    ...(withheld ? readEvidence(member, instance) : {}),
    verified: member.role === 'daemon' ? instance.doubts.length === 0 : null,
    doubts: member.role === 'daemon' ? instance.doubts.map((doubt) => doubt.reason) : [],
    instance: instance.parent.pid,
    rssBytes: process.rssBytes,
    cmd: process.argv.join(' '),
    trusted: !instance.distrust,
    distrust: instance.distrust ?? null,
  };
}

function toUntrustedRecord({ parent, distrust }: UntrustedInstance): PsRecord {
  return {
    pid: parent.pid,
    ppid: parent.ppid,
    user: parent.user,
    uid: parent.uid,
    startedAt: parent.startedAt.toISOString(),
    role: 'untrusted',
    group: null,
    via: null,
    evidence: null,
    candidates: [],
    verified: null,
    doubts: [],
    instance: parent.pid,
    rssBytes: parent.rssBytes,
    cmd: parent.argv.join(' '),
    trusted: false,
    distrust,
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
    evidence: orphan.group === null ? null : 'display-name',
    candidates: [],
    verified: null,
    doubts: [],
    instance: orphan.formerParent,
    rssBytes: process.rssBytes,
    cmd: process.argv.join(' '),
    trusted: true,
    distrust: null,
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
  untrusted: UntrustedInstance[] = [],
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
  // An untrusted parent's groups are unknown (never read): it belongs to no group filter.
  const others = groups.length === 0 ? untrusted.map(toUntrustedRecord) : [];
  return [...records, ...orphans.filter((orphan) => wanted(orphan.group)).map(toOrphanRecord), ...others];
}
