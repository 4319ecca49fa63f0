import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessDescriptor } from 'ps-list';
import type { Clock } from '../../src/clock.js';
import { type FileView, memoryFiles } from '../../src/files/view.js';
import { createPsListSource } from '../../src/processes/ps-list.js';
import type { ProcessInfo } from '../../src/processes/types.js';
import { normalizeWindowsPath } from '../../src/windows/apps.js';
import type { Executor, RunResult } from '../../src/windows/exec.js';

/** test/fixtures/windows in the checkout (tests run from dist/test/windows). */
export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/windows');

export function fixture(name: string): string {
  return readFileSync(resolve(FIXTURES, name), 'utf8');
}

/** Parses fastlist's `pid<TAB>ppid<TAB>name` lines exactly as ps-list 9 does on Windows. */
export function fastlistDescriptors(text: string): ProcessDescriptor[] {
  return text
    .trim()
    .split(/\r?\n/)
    .map((line) => line.split('\t'))
    .map(([pid, ppid, name]) => ({
      pid: Number.parseInt(pid ?? '', 10),
      ppid: Number.parseInt(ppid ?? '', 10),
      name: name ?? '',
    }));
}

export async function fastlistProcesses(name: string): Promise<ProcessInfo[]> {
  const source = createPsListSource(async () => fastlistDescriptors(fixture(name)));
  return (await source.list()).processes;
}

export interface Call {
  file: string;
  args: string[];
  /** For powershell: the decoded -EncodedCommand script. */
  script?: string;
}

export type Reply = RunResult | ((call: Call) => RunResult);

/** Decodes the script wsgictl hands PowerShell, so a test can see which event it opens. */
export function decodeScript(args: string[]): string | undefined {
  const index = args.indexOf('-EncodedCommand');
  const encoded = index >= 0 ? args[index + 1] : undefined;
  return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf16le');
}

/**
 * An executor that answers from a table of `matcher -> reply`, first match wins, and records every call.
 * An unmatched call fails the test loudly.
 */
export function fakeExecutor(
  rules: Array<[(call: Call) => boolean, Reply]>,
  onDone?: (call: Call) => void,
): Executor & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    async run(file, args) {
      const call: Call = { file, args, script: decodeScript(args) };
      calls.push(call);
      const rule = rules.find(([matches]) => matches(call));
      if (!rule) throw new Error(`unexpected command: ${file} ${args.join(' ')}`);
      const reply = typeof rule[1] === 'function' ? rule[1](call) : rule[1];
      if (onDone && reply.code === 0) onDone(call);
      return reply;
    },
  };
}

export const ok = (stdout = '', stderr = ''): RunResult => ({ code: 0, stdout, stderr });
export const fail = (code: number, stderr: string, stdout = ''): RunResult => ({ code, stdout, stderr });

export const isEvent = (name: string) => (call: Call) =>
  call.file === 'powershell.exe' && (call.script ?? '').includes(`'${name}'`);
export const isCommand =
  (file: string, ...args: string[]) =>
  (call: Call) =>
    call.file === file && args.every((arg, i) => call.args[i] === arg);

/** A clock that moves only when someone sleeps. */
export function fakeClock(start = 1_000_000): Clock & { slept: number } {
  let now = start;
  const clock = {
    slept: 0,
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
      clock.slept += ms;
    },
  };
  return clock;
}

/** A fixture's raw bytes (outputs recorded in a console code page other than UTF-8). */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(resolve(FIXTURES, name));
}

/** `Get-CimInstance Win32_Process | Select-Object ... | ConvertTo-Json` as ps-list's descriptors. */
export function cimDescriptors(json: string): ProcessDescriptor[] {
  const parsed = JSON.parse(json) as
    | { ProcessId: number; ParentProcessId: number; Name: string }
    | { ProcessId: number; ParentProcessId: number; Name: string }[];
  return (Array.isArray(parsed) ? parsed : [parsed]).map((record) => ({
    pid: record.ProcessId,
    ppid: record.ParentProcessId,
    name: record.Name,
  }));
}

export async function cimProcesses(name: string): Promise<ProcessInfo[]> {
  const source = createPsListSource(async () => cimDescriptors(fixture(name)));
  return (await source.list()).processes;
}

/** wsgictl's Win32_Process query for one pid (src/windows/apps.ts). */
export const isCommandLineQuery = (pid: number) => (call: Call) =>
  call.file === 'powershell.exe' && (call.script ?? '').includes(`'ProcessId = ${pid}'`);

/**
 * Windows configuration files in memory. The reader resolves paths with this host's rules, which on Linux
 * put the working directory in front of `C:/...`; the lookup takes the part from the drive on.
 */
export function windowsFiles(contents: Record<string, string>): FileView {
  const files = memoryFiles(contents);
  const strip = (path: string) => normalizeWindowsPath(path);
  return {
    readText: (path) => files.readText(strip(path)),
    readDir: (path) => files.readDir(strip(path)),
    stat: (path) => files.stat(strip(path)),
  };
}
