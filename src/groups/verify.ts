import type { DaemonGroupConfig } from '../apache/config/model.js';
import { displayedName, type InstanceContext, type Member } from './identify.js';
import type { Listener } from './listeners.js';

/**
 * A reason not to bet a signal on the mapping of processes to groups in one instance:
 * - `contradiction`: what the processes show disagrees with the configuration (never overridable);
 * - `stale`: the configuration changed after Apache last read it;
 * - `uncertain`: the configuration holds a condition wsgictl cannot decide.
 */
export interface Doubt {
  kind: 'contradiction' | 'stale' | 'uncertain';
  reason: string;
}

/** When the configuration was last read and which changed file says it differs now. */
export interface Staleness {
  path: string;
  changedAt: Date;
  readAt: Date;
  /** How `readAt` was learnt, for the message: "its listener sockets", "its pidfile", ... */
  readFrom: string;
}

export interface VerifyInput {
  context: InstanceContext;
  parentArgv0: string;
  parentUid: number;
  /** The parent's pid as it sees itself: the one in its listener sockets' names. */
  parentNsPid: number;
  /** WSGISocketPrefix as configured (resolved), or null when the compiled-in default applies. */
  socketPrefix: string | null;
  /** Apache's User, for groups without `user=`. */
  apacheUser: string | null;
  children: Member[];
  /** Conditions the configuration reader could not decide. */
  undecided: { file: string; line: number; condition: string; reason: string }[];
  stale: Staleness | null;
  /** A user name (or `#uid`) to a uid, in the instance's own /etc/passwd; null when unknown. */
  uidOf: (name: string) => number | null;
}

function checkListeners(input: VerifyInput, listeners: Listener[]): string[] {
  const groups = input.context.groups.length;
  const ids = [...new Set(listeners.map((listener) => listener.id))].sort((a, b) => a - b);
  const reasons: string[] = [];
  const expected = Array.from({ length: groups }, (_, i) => i + 1);
  if (ids.join(',') !== expected.join(',')) {
    reasons.push(
      `Apache holds listener sockets for ${ids.length} group${ids.length === 1 ? '' : 's'} but its configuration as read defines ${groups}`,
    );
  }
  const foreign = listeners.find((listener) => listener.pid !== input.parentNsPid);
  if (foreign) reasons.push(`listener ${foreign.path} is named after another pid than Apache's`);
  const prefix = input.socketPrefix;
  const elsewhere = prefix === null ? undefined : listeners.find((l) => !l.path.startsWith(`${prefix}.`));
  if (elsewhere) reasons.push(`listener ${elsewhere.path} is not under WSGISocketPrefix ${prefix}`);
  return reasons;
}

/** What argv[0] of a daemon of this group must show: its display-name cut to Apache's argv[0], or Apache's own. */
function expectedArgv0(group: DaemonGroupConfig, input: VerifyInput): string {
  const name = displayedName(group);
  return name === null ? input.parentArgv0.trimEnd() : name.slice(0, input.context.argv0Length).trimEnd();
}

function expectedUid(group: DaemonGroupConfig, input: VerifyInput): number | null {
  // An Apache that does not start as root cannot change user: its daemons run as it does.
  if (input.parentUid !== 0) return input.parentUid;
  const user = group.user ?? input.apacheUser;
  return user === null ? null : input.uidOf(user);
}

function checkMember(member: Member, group: DaemonGroupConfig, input: VerifyInput): string[] {
  const { pid, uid, user } = member.process;
  const shown = (member.process.argv[0] ?? '').trimEnd();
  const reasons: string[] = [];
  if (member.via === 'socket' && shown !== expectedArgv0(group, input)) {
    reasons.push(`pid ${pid} holds the listener socket of "${group.name}" but shows "${shown}"`);
  }
  if (member.via === 'display-name' && member.socketIds !== null && input.context.listeners !== null) {
    reasons.push(`pid ${pid} shows "${shown}" but holds no listener socket of "${group.name}"`);
  }
  const wanted = expectedUid(group, input);
  if (wanted !== null && wanted !== uid) {
    reasons.push(
      `pid ${pid} of "${group.name}" runs as ${user}, not as the configured ${group.user ?? input.apacheUser}`,
    );
  }
  return reasons;
}

/**
 * Cross-checks the mapping of an instance's children to groups against every independent piece of evidence:
 * the parent's listener sockets (one per group Apache defined, named after the parent), each daemon's
 * display-name (cut to argv[0]'s length) and owner, how many run against `processes=`, whether the
 * configuration changed since Apache read it, and conditions that could not be decided. Any doubt applies to
 * the whole instance: a shifted socket id maps every later group wrongly.
 */
export function verifyInstance(input: VerifyInput): Doubt[] {
  const doubts: Doubt[] = [];
  const contradiction = (reason: string) => doubts.push({ kind: 'contradiction', reason });
  if (input.context.listeners !== null) {
    for (const reason of checkListeners(input, [...input.context.listeners.values()])) contradiction(reason);
  }
  const byName = new Map(input.context.groups.map((group) => [group.name, group]));
  const counts = new Map<string, number>();
  for (const member of input.children) {
    if (member.role !== 'daemon' || member.group === null) continue;
    const group = byName.get(member.group);
    if (!group) continue;
    counts.set(group.name, (counts.get(group.name) ?? 0) + 1);
    for (const reason of checkMember(member, group, input)) contradiction(reason);
  }
  for (const [name, count] of counts) {
    const processes = byName.get(name)?.processes ?? count;
    if (count > processes)
      contradiction(`${count} processes are identified as "${name}", configured processes=${processes}`);
  }
  if (input.stale) {
    const { path, readFrom } = input.stale;
    doubts.push({
      kind: 'stale',
      reason: `${path} changed after Apache last read its configuration (${readFrom})`,
    });
  }
  for (const item of input.undecided) {
    doubts.push({
      kind: 'uncertain',
      reason: `cannot tell whether Apache reads what ${item.condition} holds at ${item.file}:${item.line} (${item.reason})`,
    });
  }
  return doubts;
}

/** The doubts that still stop a signal: with --trust-config, only contradictions. */
export function blockingDoubts(doubts: Doubt[], trustConfig: boolean): Doubt[] {
  return trustConfig ? doubts.filter((doubt) => doubt.kind === 'contradiction') : doubts;
}

/** What a user can do about the first doubt. */
export function adviceFor(doubt: Doubt): string {
  if (doubt.kind === 'stale') {
    return 'make Apache read it and wait for its groups (wsgictl graceful), or pass --trust-config if the change cannot move a WSGIDaemonProcess';
  }
  if (doubt.kind === 'uncertain') {
    return 'pass --trust-config to go by the configuration as wsgictl reads it, if you know that section does not apply';
  }
  return 'the running processes do not match the configuration: check `wsgictl ps`, then restart Apache (wsgictl graceful)';
}
