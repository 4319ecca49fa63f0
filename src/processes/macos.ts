import { execFile } from 'node:child_process';
import { selfAndAncestors } from './ancestors.js';
import { boundPaths, lsofArguments, parseLsofFields } from './lsof.js';
import {
  PS_ARGS_COLUMNS,
  PS_ARGV0_COLUMNS,
  PS_STAT_COLUMNS,
  parseLstart,
  parsePsStat,
  parsePsText,
  splitArgv,
} from './macos-ps-parse.js';
import type { ListOptions, ProcessInfo, ProcessSource, ProcessTable } from './types.js';
import { userName } from './users.js';

/** What a command printed and how it ended; null when it could not be started at all (not installed). */
export type RunCommand = (
  file: string,
  args: string[],
) => Promise<{ stdout: string; exitCode: number } | null>;

const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const COMMAND_TIMEOUT_MS = 10_000;

const runCommand: RunCommand = (file, args) =>
  new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        maxBuffer: MAX_OUTPUT_BYTES,
        timeout: COMMAND_TIMEOUT_MS,
        env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      },
      (error, stdout) => {
        if (!error) return resolve({ stdout, exitCode: 0 });
        const code = (error as NodeJS.ErrnoException & { code?: unknown }).code;
        resolve(typeof code === 'number' ? { stdout, exitCode: code } : null);
      },
    );
  });

export interface MacosSourceOptions {
  /** Runs ps and lsof; tests give it recorded outputs. */
  run?: RunCommand;
  /** Our effective uid: the kernel shows argv and fds of other users' processes to root only. */
  euid?: number;
  /** Where Apache's files are reached ('' on the machine itself; a folder of fixtures in tests). */
  fileRoot?: string;
  userName?: (uid: number) => string;
}

/**
 * The process table on macOS, from three `ps` columns (see ps-macos.ts), and unix sockets from one `lsof`
 * call for every process of interest. lsof ends with status 1 whenever some pid had nothing to list,
 * which is normal here: a worker holds no unix socket.
 */
export function createMacosSource(options: MacosSourceOptions = {}): ProcessSource {
  const run = options.run ?? runCommand;
  const euid = options.euid ?? process.geteuid?.() ?? -1;
  const nameOf = options.userName ?? userName;
  const readable = (uid: number) => euid === 0 || uid === euid;
  const known = new Map<number, ProcessInfo>();
  /** The processes the last list() read in full: the candidates of the next lsof call. */
  let candidates: number[] = [];
  /** pid -> bound unix socket paths (null: lsof could not be run), for the current snapshot. */
  let sockets = new Map<number, Set<string> | null>();

  const readTable = async (selection: string[]): Promise<ProcessInfo[]> => {
    const ask = (columns: string) => run('ps', [...selection, '-o', columns]);
    const [stat, argv0, args] = await Promise.all([
      ask(PS_STAT_COLUMNS),
      ask(PS_ARGV0_COLUMNS),
      ask(PS_ARGS_COLUMNS),
    ]);
    const argv0s = parsePsText(argv0?.stdout ?? '');
    const argss = parsePsText(args?.stdout ?? '');
    const table: ProcessInfo[] = [];
    for (const row of parsePsStat(stat?.stdout ?? '')) {
      const first = argv0s.get(row.pid);
      const line = argss.get(row.pid);
      // Gone between the calls, or a zombie: nothing left to identify or signal.
      if (first === undefined || line === undefined || line === '<defunct>') continue;
      const startedAt = parseLstart(row.lstart) ?? new Date(0);
      table.push({
        pid: row.pid,
        ppid: row.ppid,
        uid: row.uid,
        user: nameOf(row.uid),
        startKey: String(startedAt.getTime()),
        startedAt,
        nsPid: row.pid,
        argv: splitArgv(first, line),
        comm: row.ucomm,
        rssBytes: row.rssKiB > 0 ? row.rssKiB * 1024 : null,
        ...(readable(row.uid) ? {} : { argvHidden: true }),
      });
    }
    for (const info of table) known.set(info.pid, info);
    return table;
  };

  const socketsOf = async (pid: number): Promise<Set<string> | null> => {
    if (!sockets.has(pid)) {
      const wanted = [pid, ...candidates.filter((other) => other !== pid && !sockets.has(other))].filter(
        (other) => readable(known.get(other)?.uid ?? -1),
      );
      const result = wanted.length > 0 ? await run('lsof', lsofArguments(wanted)) : null;
      // Status 1 with output is lsof's way to say some pid had no unix socket; anything else is a failure.
      const usable = result !== null && (result.exitCode === 0 || result.exitCode === 1);
      const found = usable ? parseLsofFields(result.stdout) : null;
      for (const other of wanted) {
        sockets.set(other, found ? boundPaths(found.get(other) ?? []) : null);
      }
    }
    return sockets.get(pid) ?? null;
  };

  const uidOf = async (pid: number): Promise<number | null> => {
    if (!known.has(pid)) await readTable(['-ww', '-p', String(pid)]);
    return known.get(pid)?.uid ?? null;
  };

  return {
    platform: 'macos',
    os: 'darwin',
    euid: euid < 0 ? undefined : euid,
    async list(listOptions: ListOptions = {}): Promise<ProcessTable> {
      known.clear();
      sockets = new Map();
      const all = await readTable(['-axww']);
      const stubs = new Map(all.map((info) => [info.pid, { pid: info.pid, comm: info.comm }]));
      const processes = listOptions.detail ? all.filter((info) => listOptions.detail?.(info)) : all;
      candidates = processes.map((info) => info.pid);
      return { stubs, processes };
    },
    async ancestors(pid: number): Promise<Set<number>> {
      return selfAndAncestors(new Map((await readTable(['-axww'])).map((info) => [info.pid, info])), pid);
    },
    async read(pid: number): Promise<ProcessInfo | null> {
      sockets.delete(pid);
      known.delete(pid);
      return (await readTable(['-ww', '-p', String(pid)]))[0] ?? null;
    },
    async socketInodes(pid: number): Promise<Set<string> | null> {
      const uid = await uidOf(pid);
      if (uid === null || !readable(uid)) return null;
      // No inodes on macOS: a listener is known by its bound path, which the parent and the daemon that
      // inherited it show alike (and the connections that daemon accepted on it too).
      return socketsOf(pid);
    },
    async environment(): Promise<NodeJS.ProcessEnv | null> {
      return null;
    },
    async unixSocketPaths(pid: number): Promise<Map<string, string> | null> {
      const paths = await this.socketInodes(pid);
      return paths && new Map([...paths].map((path) => [path, path]));
    },
    async fileRoot(): Promise<string | null> {
      return options.fileRoot ?? '';
    },
    async executable(pid: number): Promise<string | null> {
      const info = known.get(pid);
      const argv0 = info && !info.argvHidden ? info.argv[0] : undefined;
      return argv0?.startsWith('/') ? `${options.fileRoot ?? ''}${argv0}` : null;
    },
  };
}
