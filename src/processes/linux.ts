import { closeSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, statSync } from 'node:fs';
import { isVanishedOrDenied } from '../errors.js';
import { parseSignalMasks, type SignalMasks } from './signal-mask.js';
import type {
  ListOptions,
  ProcessInfo,
  ProcessSource,
  ProcessStub,
  ProcessTable,
  UnixSocketState,
} from './types.js';
import { userName } from './users.js';

/** USER_HZ: the unit of /proc/PID/stat times; 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface StatFields extends ProcessStub {
  /** R, S, D, Z (zombie: exited, not yet reaped), ... */
  state: string;
  ppid: number;
  startTicks: string;
  /** Field 20, num_threads. */
  threads: number;
}

/** Parses /proc/PID/stat; comm may hold spaces and parentheses, so it is cut at the last ')'. */
export function parseStat(text: string): StatFields | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  // Fields after comm start at field 3 (state); field N is rest[N - 3].
  const rest = text.slice(close + 2).split(' ');
  const state = rest[0];
  const ppid = rest[1];
  const threads = rest[17];
  const startTicks = rest[19];
  if (state === undefined || ppid === undefined || threads === undefined || startTicks === undefined)
    return null;
  return {
    pid: Number(text.slice(0, open - 1)),
    state,
    ppid: Number(ppid),
    comm: text.slice(open + 1, close),
    startTicks,
    threads: Number(threads),
  };
}

/** Splits /proc/PID/cmdline on NUL; the terminator and any padding after the last argument are dropped. */
export function parseCmdline(text: string): string[] {
  const argv = text.split('\0');
  while (argv.length > 0 && argv[argv.length - 1] === '') argv.pop();
  return argv;
}

/**
 * Reads the effective uid, the resident set size and the innermost namespace pid (last NSpid field; absent
 * before Linux 4.1) out of /proc/PID/status.
 */
export function parseStatus(text: string): { uid: number; rssBytes: number | null; nsPid: number | null } {
  const uid = /^Uid:\s+\d+\s+(\d+)/m.exec(text);
  const rss = /^VmRSS:\s+(\d+)\s+kB/m.exec(text);
  const nsPid = /^NSpid:.*?(\d+)[ \t]*$/m.exec(text);
  return {
    uid: uid?.[1] ? Number(uid[1]) : -1,
    rssBytes: rss?.[1] ? Number(rss[1]) * 1024 : null,
    nsPid: nsPid?.[1] ? Number(nsPid[1]) : null,
  };
}

/** Parses /proc/net/unix into inode -> path, for the sockets that are bound to a path. */
export function parseNetUnix(text: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const [inode, { path }] of parseNetUnixStates(text)) if (path) paths.set(inode, path);
  return paths;
}

/** Parses /proc/net/unix into inode -> the bound path and the `St` column (01 unconnected, 03 connected). */
export function parseNetUnixStates(text: string): Map<string, UnixSocketState> {
  const sockets = new Map<string, UnixSocketState>();
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const columns = lines[i]?.trim().split(/\s+/);
    const state = columns?.[5];
    const inode = columns?.[6];
    if (inode && state) sockets.set(inode, { path: columns?.[7] ?? null, state });
  }
  return sockets;
}

export function parseBootTimeSeconds(procStat: string): number {
  const match = /^btime\s+(\d+)/m.exec(procStat);
  return match?.[1] ? Number(match[1]) : 0;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'latin1');
  } catch (error) {
    if (isVanishedOrDenied(error)) return null;
    throw error;
  }
}

function readLink(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch (error) {
    if (isVanishedOrDenied(error)) return null;
    throw error;
  }
}

/** /proc/PID/stat and comm are one short line each; one buffer serves every read. */
const STAT_BUFFER = Buffer.allocUnsafe(4096);

function readShortText(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (isVanishedOrDenied(error)) return null;
    throw error;
  }
  try {
    return STAT_BUFFER.toString('latin1', 0, readSync(fd, STAT_BUFFER, 0, STAT_BUFFER.length, 0));
  } catch (error) {
    if (isVanishedOrDenied(error)) return null; // ESRCH: it exited between open and read
    throw error;
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether /proc/PID/fd belongs to the process's own uid (see ProcessInfo.dumpable; the kernel exempts only
 * world-readable folders such as /proc/PID itself from giving a non-dumpable process's entries to root).
 */
function dumpableOf(path: string, uid: number): { dumpable?: boolean } {
  try {
    return { dumpable: statSync(path).uid === uid };
  } catch (error) {
    if (isVanishedOrDenied(error)) return {};
    throw error;
  }
}

export function createLinuxSource(procRoot = '/proc'): ProcessSource {
  let bootTimeMs: number | undefined;
  const bootTime = (): number => {
    bootTimeMs ??= parseBootTimeSeconds(readText(`${procRoot}/stat`) ?? '') * 1000;
    return bootTimeMs;
  };

  const readStat = (pid: number): StatFields | null => {
    const text = readShortText(`${procRoot}/${pid}/stat`);
    return text === null ? null : parseStat(text);
  };

  const readFull = (stat: StatFields): ProcessInfo | null => {
    if (stat.state === 'Z') return null; // exited; only its exit status is left for the parent to collect
    const cmdline = readText(`${procRoot}/${stat.pid}/cmdline`);
    const status = readText(`${procRoot}/${stat.pid}/status`);
    if (cmdline === null || status === null) return null;
    const { uid, rssBytes, nsPid } = parseStatus(status);
    return {
      pid: stat.pid,
      ppid: stat.ppid,
      uid,
      user: userName(uid),
      startKey: stat.startTicks,
      startedAt: new Date(bootTime() + (Number(stat.startTicks) * 1000) / CLOCK_TICKS_PER_SECOND),
      nsPid: nsPid ?? stat.pid,
      argv: parseCmdline(cmdline),
      comm: stat.comm,
      rssBytes,
      threads: stat.threads,
      ...dumpableOf(`${procRoot}/${stat.pid}/fd`, uid),
    };
  };

  return {
    platform: 'linux',
    os: 'linux',
    procRoot,
    async list(options: ListOptions = {}): Promise<ProcessTable> {
      const stubs = new Map<number, ProcessStub>();
      const processes: ProcessInfo[] = [];
      for (const entry of readdirSync(procRoot)) {
        const code = entry.charCodeAt(0);
        if (code < 48 || code > 57) continue;
        const pid = Number(entry);
        const comm = readShortText(`${procRoot}/${entry}/comm`);
        if (comm === null) continue;
        const stub = { pid, comm: comm.endsWith('\n') ? comm.slice(0, -1) : comm };
        stubs.set(pid, stub);
        if (options.detail && !options.detail(stub)) continue;
        const stat = readStat(pid);
        const full = stat && readFull(stat);
        if (full) processes.push(full);
      }
      return { stubs, processes };
    },
    async ancestors(pid: number): Promise<Set<number>> {
      const chain = new Set<number>();
      let current: number | undefined = pid;
      while (current !== undefined && current > 0 && !chain.has(current)) {
        chain.add(current);
        current = readStat(current)?.ppid;
      }
      return chain;
    },
    async read(pid: number): Promise<ProcessInfo | null> {
      const stat = readStat(pid);
      return stat ? readFull(stat) : null;
    },
    async socketInodes(pid: number): Promise<Set<string> | null> {
      const dir = `${procRoot}/${pid}/fd`;
      let entries: string[];
      try {
        entries = readdirSync(dir);
      } catch (error) {
        if (isVanishedOrDenied(error)) return null;
        throw error;
      }
      const inodes = new Set<string>();
      for (const fd of entries) {
        let target: string;
        try {
          target = readlinkSync(`${dir}/${fd}`);
        } catch {
          continue; // closed between readdir and readlink
        }
        if (target.startsWith('socket:[')) inodes.add(target.slice(8, -1));
      }
      return inodes;
    },
    async environment(pid: number): Promise<NodeJS.ProcessEnv | null> {
      const text = readText(`${procRoot}/${pid}/environ`);
      if (text === null) return null;
      const env: NodeJS.ProcessEnv = {};
      for (const pair of text.split('\0')) {
        const equals = pair.indexOf('=');
        if (equals > 0) env[pair.slice(0, equals)] = pair.slice(equals + 1);
      }
      return env;
    },
    async unixSocketPaths(pid: number): Promise<Map<string, string> | null> {
      // /proc/net/unix lists only our own network namespace; /proc/PID/net/unix lists the process's.
      const text = readText(`${procRoot}/${pid}/net/unix`);
      return text === null ? null : parseNetUnix(text);
    },
    async unixSocketStates(pid: number): Promise<Map<string, UnixSocketState> | null> {
      const text = readText(`${procRoot}/${pid}/net/unix`);
      return text === null ? null : parseNetUnixStates(text);
    },
    async signalMasks(pid: number): Promise<{ process: SignalMasks; threads: SignalMasks[] } | null> {
      const status = readText(`${procRoot}/${pid}/status`);
      const masks = status === null ? null : parseSignalMasks(status);
      if (!masks) return null;
      // SigBlk is per thread: a signal is blocked for the process only if every thread blocks it.
      const threads: SignalMasks[] = [];
      let tids: string[] = [];
      try {
        tids = readdirSync(`${procRoot}/${pid}/task`);
      } catch (error) {
        if (!isVanishedOrDenied(error)) throw error;
      }
      for (const tid of tids) {
        const text = readText(`${procRoot}/${pid}/task/${tid}/status`);
        const thread = text === null ? null : parseSignalMasks(text);
        if (thread) threads.push(thread);
      }
      return { process: masks, threads };
    },
    async fileRoot(pid: number): Promise<string | null> {
      const theirs = readLink(`${procRoot}/${pid}/ns/mnt`);
      const ours = readLink(`${procRoot}/self/ns/mnt`);
      if (theirs === null || ours === null) return theirs === null && ours === null ? '' : null;
      return theirs === ours ? '' : `${procRoot}/${pid}/root`;
    },
    async executable(pid: number): Promise<string | null> {
      const path = readLink(`${procRoot}/${pid}/exe`);
      if (path === null) return null;
      const root = await this.fileRoot(pid);
      return root === null ? null : `${root}${path.replace(/ \(deleted\)$/, '')}`;
    },
  };
}
