import { inspectExecutable } from '../apache/binary/executable.js';
import { WsgictlError } from '../errors.js';
import { isApacheComm } from '../processes/apache-names.js';
import { findProcHiding } from '../processes/hidepid.js';
import type { ProcessInfo, ProcessSource } from '../processes/types.js';
import { matchDisplayName } from './identify.js';
import { type ApacheInstance, readInstance } from './instance.js';
import { type Listener, readListeners } from './listeners.js';
import { judgeTrust } from './trust.js';

/**
 * A child of Apache whose parent is gone (or is no longer Apache), a mod_wsgi daemon or a worker: a daemon
 * still serves whatever it loaded, but no parent will replace it, so wsgictl lists it and never signals it.
 */
export interface OrphanDaemon {
  process: ProcessInfo;
  /** The group its uncut display-name or its listener socket names, when either does. */
  group: string | null;
  /** The pid of the parent it was started by, from its listener socket's name, when readable. */
  formerParent: number | null;
}

/** An Apache parent that is not trusted (see trust.ts): listed, never read, signalled or followed. */
export interface UntrustedInstance {
  parent: ProcessInfo;
  distrust: string;
}

export interface Discovery {
  instances: ApacheInstance[];
  /** Apache parents run by other users or from files others may write: shown, nothing else. */
  untrusted: UntrustedInstance[];
  orphans: OrphanDaemon[];
  /** Apache parents whose command line the system does not show us (macOS: another user's, without root). */
  unreadable: ProcessInfo[];
}

export interface DiscoverOptions {
  /** The pid whose ancestry is left out of every instance (default: this process). */
  self?: number;
  /** Keep only the instance with this parent pid. */
  instance?: number;
}

function orphanOf(process: ProcessInfo, listeners: Listener[] | null): OrphanDaemon {
  const shown = matchDisplayName(process.argv[0] ?? '', {
    parentPid: 0,
    argv0Length: 0,
    groups: [],
    listeners: null,
  });
  return { process, group: shown[0] ?? null, formerParent: listeners?.[0]?.pid ?? null };
}

/**
 * Finds every Apache instance on the machine (an apache2/httpd whose own parent is another program), reads
 * its configuration, identifies each child (daemon of which group, or worker) and weighs the evidence; and
 * finds orphaned daemons: Apache processes whose parent is not Apache that hold one listener socket named
 * after another Apache parent, or, when their fds are closed to us, show a display-name.
 */
export async function discoverApache(
  source: ProcessSource,
  options: DiscoverOptions = {},
): Promise<Discovery> {
  const table = await source.list({ detail: (stub) => isApacheComm(stub.comm) });
  const excluded = await source.ancestors(options.self ?? process.pid);
  const apache = table.processes.filter((info) => !excluded.has(info.pid));
  const tops = apache.filter((info) => table.stubs.get(info.ppid)?.comm !== info.comm);
  const discovery: Discovery = { instances: [], untrusted: [], orphans: [], unreadable: [] };
  const euid = source.euid ?? process.geteuid?.() ?? null;
  for (const top of tops) {
    if (top.argvHidden) {
      // Its configuration and its children's display-names cannot be read: neither listed nor guessed at.
      if (options.instance === undefined || options.instance === top.pid) discovery.unreadable.push(top);
      continue;
    }
    const listeners = await readListeners(source, top);
    const shown = (top.argv[0] ?? '').startsWith('(wsgi:');
    // A parent's listeners are named after itself; a daemon keeps its one listener, named after the parent
    // that started it, when that parent dies. Without its fds, only a display-name says it is a daemon.
    const foreign = listeners?.length === 1 && listeners[0]?.pid !== top.nsPid;
    if (foreign || (shown && listeners === null)) {
      discovery.orphans.push(orphanOf(top, listeners));
      continue;
    }
    if (shown) continue; // its fds hold no listener: not a daemon at all, whatever it calls itself
    if (options.instance !== undefined && options.instance !== top.pid) continue;
    // Decided per parent only, never per process: the process table's hot path stays as it was.
    const executable = await inspectExecutable(source, top.pid);
    const distrust = judgeTrust({ parentUid: top.uid, parentUser: top.user, euid, executable });
    // Named by --instance, an untrusted one is read (as hostile input) but its binary is still never run.
    if (distrust !== null && options.instance !== top.pid) {
      discovery.untrusted.push({ parent: top, distrust });
      continue;
    }
    const instance = await readInstance(source, top, listeners, apache, { executable, distrust });
    // A worker whose parent died also looks like a parent; its pidfile names the one that started it.
    const named = instance.pidFilePid;
    if (named !== null && named !== top.nsPid && !listeners?.some((listener) => listener.pid === top.nsPid)) {
      discovery.orphans.push({ process: top, group: null, formerParent: named });
      continue;
    }
    discovery.instances.push(instance);
  }
  const hidden = discovery.unreadable[0];
  if (hidden && discovery.instances.length === 0) throw unreadableError(hidden, discovery.unreadable.length);
  if (discovery.instances.length === 0 && source.procRoot !== undefined) assertProcNotHidden(source.procRoot);
  return discovery;
}

/** Exit 4 when /proc is mounted hidepid=: "no Apache" would be a lie, since other users' processes are hidden. */
function assertProcNotHidden(procRoot: string): void {
  const hiding = findProcHiding(procRoot);
  if (hiding === null) return;
  const gid =
    hiding.gid === null
      ? 'remount it with gid=GROUP and join that group'
      : `join group ${hiding.gid} (its gid=)`;
  throw new WsgictlError(
    'PERMISSION',
    `no Apache is visible, but ${procRoot} is mounted with hidepid=${hiding.hidepid}, which hides other users' processes from you: run wsgictl as root (sudo wsgictl ...), or ${gid}`,
  );
}

/** Exit 4: Apache runs, but as another user whose processes the system does not show us. */
function unreadableError(parent: ProcessInfo, count: number): WsgictlError {
  const more = count > 1 ? ` and ${count - 1} more` : '';
  return new WsgictlError(
    'PERMISSION',
    `cannot read ${parent.comm} (pid ${parent.pid}${more}, run by ${parent.user}): the system shows another user's processes only as "(${parent.comm})", without their arguments, display-names or sockets; run wsgictl as root (sudo wsgictl ...)`,
  );
}

/** The Apache instances only (see discoverApache). */
export async function discoverInstances(
  source: ProcessSource,
  options: DiscoverOptions = {},
): Promise<ApacheInstance[]> {
  return (await discoverApache(source, options)).instances;
}
