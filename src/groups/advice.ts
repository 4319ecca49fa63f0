import type { ProcessInfo } from '../processes/types.js';

/**
 * Who can read the sockets of these daemons, and what else works. mod_wsgi makes a daemon non-dumpable once
 * it drops privileges to its user, so then only root (CAP_SYS_PTRACE) can read /proc/PID/fd, not even that
 * user. With CoreDumpDirectory set, mod_wsgi 4.x and 5.x make them dumpable again and their own user can read
 * their fds (6.0.5 compiles that step out: wsgi_daemon.c lacks sys/prctl.h), which the process table shows
 * (ProcessInfo.dumpable); a socket proves a group only as one of the Apache parent's own listeners, and a
 * root parent's fds stay root's, so identification by socket still needs root. An Apache started by an
 * ordinary user keeps its daemons readable by that user.
 */
export function socketAccessAdvice(
  parent: ProcessInfo,
  daemons: ProcessInfo[],
  coreDumpDirectory: string | null = null,
): string {
  return `${describeSocketReaders(parent, daemons, coreDumpDirectory)}: run wsgictl with sudo, or reload with --touch SCRIPT, or give each group a display-name that stays distinct when cut to ${JSON.stringify(parent.argv[0] ?? '')}'s length`;
}

/** Who may read these daemons' sockets, and why (see socketAccessAdvice). */
export function describeSocketReaders(
  parent: ProcessInfo,
  daemons: ProcessInfo[],
  coreDumpDirectory: string | null = null,
): string {
  const dropped = daemons.filter((daemon) => daemon.uid !== parent.uid);
  if (dropped.length > 0 && coreDumpDirectory !== null) {
    if (dropped.every((daemon) => daemon.dumpable === true))
      return "only root can read their sockets (CoreDumpDirectory is set, so the daemons' own user can read their fds, but not the Apache parent's listeners that prove whose socket is whose)";
    if (dropped.some((daemon) => daemon.dumpable === false))
      return 'only root can read their sockets (mod_wsgi makes its daemons non-dumpable when it drops privileges, and this mod_wsgi leaves them so although CoreDumpDirectory is set)';
  }
  return dropped.length > 0 || parent.uid === 0
    ? 'only root can read their sockets (mod_wsgi makes its daemons non-dumpable when it drops privileges)'
    : `only root or ${parent.user} can read their sockets`;
}
