import type { SignalMasks } from './signal-mask.js';

/** One process as the operating system reports it. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  uid: number;
  user: string;
  /**
   * An exact, platform-specific start stamp (Linux: /proc/PID/stat field 22, in clock ticks since boot).
   * Two records with the same pid and a different startKey are different processes.
   */
  startKey: string;
  startedAt: Date;
  /**
   * The pid as the process itself sees it (the innermost of /proc/PID/status NSpid): in a container, Apache
   * names its listener sockets after this one, not after the pid we see.
   */
  nsPid: number;
  /** argv as the kernel holds it; mod_wsgi rewrites argv[0] of its daemons in place. */
  argv: string[];
  /** The executable's short name (Linux comm, macOS p_comm), which mod_wsgi leaves alone. */
  comm: string;
  rssBytes: number | null;
  /**
   * How many threads the process runs (Linux: /proc/PID/stat field 20); absent where the platform does not
   * tell. mod_wsgi starts a daemon's threads only once it has preloaded its scripts, so a daemon with one
   * thread is still starting.
   */
  threads?: number;
  /**
   * Whether the process is dumpable (Linux: the kernel gives a non-dumpable process's /proc/PID/fd to root, so
   * /proc/PID/fd owned by the process's own uid means dumpable). mod_wsgi makes its daemons non-dumpable when they
   * drop privileges, so that not even their own user can read their fds; with CoreDumpDirectory set, 4.x and
   * 5.x make them dumpable again (6.0.5 does not). Absent where the platform does not tell.
   */
  dumpable?: boolean;
  /**
   * True when the system would not show this process's argv to us (macOS: another user's process and we are
   * not root; ps then prints `(comm)`): `argv` is that stand-in, not the command line.
   */
  argvHidden?: boolean;
}

/**
 * The one cheap field read for every process (Linux: /proc/PID/comm, which the kernel makes far faster than
 * stat) before deciding which processes deserve a closer look.
 */
export interface ProcessStub {
  pid: number;
  comm: string;
}

export interface ListOptions {
  /** Which processes to read in full; the rest are only in `stubs`. Default: all of them. */
  detail?: (stub: ProcessStub) => boolean;
}

export interface ProcessTable {
  /** Every process seen, cheap fields only, keyed by pid. */
  stubs: Map<number, ProcessStub>;
  /** The processes chosen by `detail`, read in full. */
  processes: ProcessInfo[];
}

/** The platform's way to read processes; chosen once in processes/index.ts. */
export interface ProcessSource {
  readonly platform: 'linux' | 'macos' | 'ps-list';
  /** The operating system these processes run on (which Apache layout applies); default: this one. */
  readonly os?: NodeJS.Platform;
  /** Linux: where /proc is, so that an executable can be opened through its pinned /proc/PID/exe link. */
  readonly procRoot?: string;
  /** The effective uid the source reads processes as, when not this process's own (recorded sources). */
  readonly euid?: number;
  list(options?: ListOptions): Promise<ProcessTable>;
  /** The pid and its ancestors up to init: wsgictl never treats its own chain as a target. */
  ancestors(pid: number): Promise<Set<number>>;
  /** Re-reads one process in full, or null when it is gone or unreadable. */
  read(pid: number): Promise<ProcessInfo | null>;
  /** The inodes of the sockets the process holds, or null when its fds cannot be read. */
  socketInodes(pid: number): Promise<Set<string> | null>;
  /** The process's environment (Apache's config may use its variables), or null when it cannot be read. */
  environment(pid: number): Promise<NodeJS.ProcessEnv | null>;
  /**
   * Unix socket inode -> bound path, for every unix socket in the network namespace of `pid` (a container's
   * Apache has its own), or null when unknown.
   */
  unixSocketPaths(pid: number): Promise<Map<string, string> | null>;
  /**
   * Unix socket inode -> bound path (null when unbound) and state column, in the network namespace of
   * `pid`; absent where the platform does not tell (only Linux's /proc does), null when unreadable.
   */
  unixSocketStates?(pid: number): Promise<Map<string, UnixSocketState> | null>;
  /**
   * The process's signal masks and each of its threads' (Linux: /proc/PID/status and task/TID/status);
   * absent where the platform does not tell, null when the process is gone or closed to us.
   */
  signalMasks?(pid: number): Promise<{ process: SignalMasks; threads: SignalMasks[] } | null>;
  /**
   * How this machine reaches the files of the process's mount namespace: '' when it is ours, else a prefix
   * such as `/proc/PID/root`; null when that cannot be told (the process is gone or closed to us).
   */
  fileRoot(pid: number): Promise<string | null>;
  /** The process's executable as a path this machine can open, or null. */
  executable(pid: number): Promise<string | null>;
}

/** One unix socket's row in /proc/net/unix: its bound path (null when unbound) and `St` (03 = connected). */
export interface UnixSocketState {
  path: string | null;
  state: string;
}
