import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMacosSource, type RunCommand } from '../../src/processes/macos.js';
import { PS_ARGS_COLUMNS, PS_ARGV0_COLUMNS, PS_STAT_COLUMNS } from '../../src/processes/macos-ps-parse.js';
import type { ProcessSource } from '../../src/processes/types.js';

const MACOS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/macos');

const FILE_BY_COLUMNS: Record<string, string> = {
  [PS_STAT_COLUMNS]: 'ps-stat.txt',
  [PS_ARGV0_COLUMNS]: 'ps-comm.txt',
  [PS_ARGS_COLUMNS]: 'ps-args.txt',
};

export function macFixture(scenario: string, file: string): string {
  return readFileSync(join(MACOS, scenario, file), 'utf8');
}

const pidOf = (line: string) => Number(/^\s*(\d+)/.exec(line)?.[1]);

export interface RecordedRun {
  run: RunCommand;
  /** Every command asked for, as `file arg arg ...`. */
  calls: string[];
}

/**
 * Answers ps and lsof from a scenario's recordings (test/fixtures/macos/SOURCES.md) as the real commands
 * would: `ps -p PID` keeps that pid's line (status 1 when it has none), lsof keeps the process sets of the
 * pids asked for and ends with status 1 when one of them had nothing to list. `lsof: false` = not installed.
 */
export function recordedRun(scenario: string, options: { lsof?: boolean } = {}): RecordedRun {
  const calls: string[] = [];
  const run: RunCommand = async (file, args) => {
    calls.push([file, ...args].join(' '));
    if (file === 'ps') {
      const columns = args[args.indexOf('-o') + 1] ?? '';
      const lines = macFixture(scenario, FILE_BY_COLUMNS[columns] ?? 'missing').split('\n');
      const only = args.includes('-p') ? Number(args[args.indexOf('-p') + 1]) : null;
      const kept = only === null ? lines : lines.filter((line) => pidOf(line) === only);
      return { stdout: kept.join('\n'), exitCode: kept.some((line) => line.trim()) ? 0 : 1 };
    }
    if (file === 'lsof' && options.lsof !== false) {
      const wanted = new Set((args[args.indexOf('-p') + 1] ?? '').split(',').map(Number));
      const path = join(MACOS, scenario, 'lsof.txt');
      const sets = (existsSync(path) ? readFileSync(path, 'utf8') : '').split(/(?=^p)/m);
      const kept = sets.filter((set) => wanted.has(Number(/^p(\d+)/.exec(set)?.[1])));
      return { stdout: kept.join(''), exitCode: kept.length === wanted.size ? 0 : 1 };
    }
    return null;
  };
  return { run, calls };
}

const USERS: Record<number, string> = { 0: 'root', 70: '_www', 501: 'alice' };

/** A folder that stands for the Mac's root: Apache's configuration, /etc/passwd, then the listener sockets. */
export function macRoot(files: Record<string, string>, sockets: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'wsgictl-macos-'));
  const put = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  put(
    '/etc/passwd',
    'root:*:0:0:System Administrator:/var/root:/bin/sh\n_www:*:70:70:World Wide Web Server:/Library/WebServer:/usr/bin/false\n',
  );
  for (const [path, text] of Object.entries(files)) put(path, text);
  // Bound after the configuration was read, as mod_wsgi does: they date the read (a second later, since the
  // read time is kept in whole milliseconds and these files are all written within one).
  const bound = new Date(Date.now() + 1000);
  for (const socket of sockets) {
    put(socket, '');
    utimesSync(join(root, socket), bound, bound);
  }
  return root;
}

export function removeRoot(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

export function macSource(scenario: string, euid: number, root: string, options: { lsof?: boolean } = {}) {
  const recorded = recordedRun(scenario, options);
  const source: ProcessSource = createMacosSource({
    run: recorded.run,
    euid,
    fileRoot: root,
    userName: (uid) => USERS[uid] ?? String(uid),
  });
  return { source, calls: recorded.calls };
}
