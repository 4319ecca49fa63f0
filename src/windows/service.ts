import type { Attempt } from './event.js';
import type { Executor, RunOptions, RunResult } from './exec.js';

export const SC = 'sc.exe';
export const NET = 'net.exe';

/** Win32 error numbers wsgictl acts on; the words around them are in the system's language. */
const ERROR_ACCESS_DENIED = 5;
const ERROR_SERVICE_DOES_NOT_EXIST = 1060;
/** net.exe's own message numbers (`NET HELPMSG n`): no such service, already started, not started. */
const NERR_BAD_SERVICE_NAME = 2185;
const NERR_SERVICE_INSTALLED = 2182;
const NERR_SERVICE_NOT_INSTALLED = 3521;

/** One block of `sc queryex`: the service key name, its state word and the pid of its process (0 when none). */
export interface ServiceStatus {
  name: string;
  state: string;
  pid: number;
}

/**
 * Parses `sc queryex [NAME | type= service]`: blocks that start `SERVICE_NAME: X`, with `STATE : 4  RUNNING`
 * and `PID : 1234` lines. Only the English key names are read; sc.exe does not translate them.
 */
export function parseScQueryex(text: string): ServiceStatus[] {
  const services: ServiceStatus[] = [];
  let current: ServiceStatus | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const name = /^SERVICE_NAME:\s*(.+)$/.exec(line);
    if (name?.[1]) {
      current = { name: name[1].trim(), state: '', pid: 0 };
      services.push(current);
      continue;
    }
    if (!current) continue;
    const state = /^STATE\s*:\s*\d+\s+(\w+)/.exec(line);
    if (state?.[1]) current.state = state[1];
    const pid = /^PID\s*:\s*(\d+)/.exec(line);
    if (pid?.[1]) current.pid = Number(pid[1]);
  }
  return services;
}

/** What `sc qc NAME` says of a service: the program it runs and the account it runs as. */
export interface ServiceConfig {
  /** The executable of BINARY_PATH_NAME, or null. */
  binary: string | null;
  /** SERVICE_START_NAME: `LocalSystem`, `NT AUTHORITY\LocalService`, `.\apache`, ... */
  account: string | null;
}

/**
 * The executable of a BINARY_PATH_NAME: the quoted part, or unquoted the shortest prefix that ends in
 * `.exe` before a space, the way CreateProcess reads `C:\Program Files\Apache24\bin\httpd.exe -k runservice`.
 */
export function parseBinaryPath(value: string): string | null {
  const text = value.trim();
  if (text === '') return null;
  if (text.startsWith('"')) return /^"([^"]+)"/.exec(text)?.[1] ?? null;
  return /^(.+?\.exe)(?=\s|$)/i.exec(text)?.[1] ?? text.split(/\s+/)[0] ?? null;
}

function field(text: string, key: string): string | null {
  const match = new RegExp(`^\\s*${key}\\s*:[ \\t]*(.*)$`, 'm').exec(text);
  const value = match?.[1]?.trim();
  return value ? value : null;
}

/** Parses `sc qc NAME` (`BINARY_PATH_NAME : "C:\Apache24\bin\httpd.exe" -k runservice`, `SERVICE_START_NAME : LocalSystem`). */
export function parseScQc(text: string): ServiceConfig {
  const path = field(text, 'BINARY_PATH_NAME');
  return { binary: path === null ? null : parseBinaryPath(path), account: field(text, 'SERVICE_START_NAME') };
}

/** The executable of a service from `sc qc NAME`. */
export function parseScQcBinary(text: string): string | null {
  return parseScQc(text).binary;
}

/** LocalSystem as sc qc spells it (or its other names). */
export function isLocalSystem(account: string | null): boolean {
  return account !== null && /^(LocalSystem|NT AUTHORITY\\SYSTEM|\.\\LocalSystem)$/i.test(account);
}

export type ServiceLookup = { known: true; service: string | null } | { known: false; detail: string };

function oneLine(result: RunResult): string {
  return `${result.stderr}\n${result.stdout}`
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
}

function describeFailure(command: string, result: RunResult): string {
  if (result.code === null) return `${command} could not run (${result.error ?? 'killed'})`;
  const said = oneLine(result);
  return `${command} exited ${result.code}${said ? `: ${said}` : ''}`;
}

/** Which service runs as this process, if any: `sc queryex type= service` lists the pid of every running one. */
export async function findServiceByPid(
  executor: Executor,
  pid: number,
  options?: RunOptions,
): Promise<ServiceLookup> {
  const result = await executor.run(SC, ['queryex', 'type=', 'service'], options);
  if (result.code !== 0) return { known: false, detail: describeFailure('sc queryex', result) };
  const match = parseScQueryex(result.stdout).find((service) => service.pid === pid);
  return { known: true, service: match?.name ?? null };
}

/** `sc qc NAME`; null when the service cannot be read (sc exits with the Win32 error: 1060, 5, ...). */
export async function readServiceConfig(
  executor: Executor,
  service: string,
  options?: RunOptions,
): Promise<ServiceConfig | null> {
  const result = await executor.run(SC, ['qc', service], options);
  return result.code === 0 ? parseScQc(result.stdout) : null;
}

/** The `(OS n)` httpd's log.c puts before an OS error: the number, whatever language the text is in. */
function osError(said: string): number | null {
  const match = /\(OS (\d+)\)/.exec(said);
  return match?.[1] ? Number(match[1]) : null;
}

/**
 * Reads `httpd.exe -k restart -n NAME` (server/mpm/winnt/service.c, mpm_signal_service). httpd exits 0 even
 * when the restart failed, so its own untranslated sentences count ("The '%s' service has restarted.") and
 * an OS error by its number (`(OS 5)`), never by the system's words for it.
 */
export function classifyHttpdRestart(result: RunResult, step: string): Attempt {
  const said = oneLine(result);
  if (result.code === null) {
    return {
      step,
      outcome: 'unavailable',
      detail:
        result.error === 'ENOENT' ? 'httpd.exe not found' : `did not finish (${result.error ?? 'killed'})`,
    };
  }
  const os = osError(said);
  if (/AH00436|AH00437/.test(said) || os === ERROR_SERVICE_DOES_NOT_EXIST)
    return { step, outcome: 'missing', detail: said };
  if (os === ERROR_ACCESS_DENIED) return { step, outcome: 'denied', detail: `${said}: run elevated` };
  if (/service has restarted\.|service is running\./.test(said))
    return { step, outcome: 'done', detail: said };
  return { step, outcome: 'failed', detail: said || `exit code ${result.code}` };
}

export async function restartWithHttpd(
  executor: Executor,
  httpd: string,
  service: string,
  options?: RunOptions,
): Promise<Attempt> {
  const result = await executor.run(httpd, ['-k', 'restart', '-n', service], options);
  return classifyHttpdRestart(result, `httpd.exe -k restart -n ${service}`);
}

/**
 * The number net.exe gives for what went wrong: `NET HELPMSG n` (its own messages), else the Win32 error of
 * its first line ("System error 5 has occurred.", "Systemfehler 5 aufgetreten.", "システム エラー 5 が発生しました。").
 */
export function netErrorNumber(text: string): { helpmsg: number | null; system: number | null } {
  const help = /HELPMSG\s+(\d+)/i.exec(text);
  const first = text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '';
  const system = /(?:^|\D)(\d{1,5})(?:\D|$)/.exec(first);
  return {
    helpmsg: help?.[1] ? Number(help[1]) : null,
    system: help === null && system?.[1] ? Number(system[1]) : null,
  };
}

/** Reads `net stop|start NAME`: exit 0 is success; otherwise the error number decides, not the words. */
export function classifyNet(result: RunResult, step: string): Attempt & { notStarted: boolean } {
  const said = oneLine(result);
  const { helpmsg, system } = netErrorNumber(`${result.stderr}\n${result.stdout}`.trim());
  const notStarted = helpmsg === NERR_SERVICE_NOT_INSTALLED;
  if (result.code === null) {
    return {
      step,
      outcome: 'unavailable',
      detail: `net.exe could not run (${result.error ?? 'killed'})`,
      notStarted,
    };
  }
  if (result.code === 0 || helpmsg === NERR_SERVICE_INSTALLED)
    return { step, outcome: 'done', detail: said, notStarted };
  if (helpmsg === NERR_BAD_SERVICE_NAME || system === ERROR_SERVICE_DOES_NOT_EXIST)
    return { step, outcome: 'missing', detail: said, notStarted };
  if (system === ERROR_ACCESS_DENIED)
    return { step, outcome: 'denied', detail: `${said}: run elevated`, notStarted };
  return { step, outcome: 'failed', detail: said || `exit code ${result.code}`, notStarted };
}

/**
 * The heavy fallback, only with --allow-stop-start: stop the service (net waits until it stopped) and start
 * it again; every request in flight is cut. `remainingMs` is asked before each command.
 */
export async function stopStartService(
  executor: Executor,
  service: string,
  remainingMs: () => number,
): Promise<Attempt> {
  const step = `net stop/start ${service}`;
  const stop = classifyNet(await executor.run(NET, ['stop', service], { timeoutMs: remainingMs() }), step);
  if (stop.outcome !== 'done' && !stop.notStarted)
    return { step, outcome: stop.outcome, detail: `stop: ${stop.detail}` };
  if (remainingMs() <= 0) {
    return {
      step,
      outcome: 'failed',
      detail: `stopped, but --timeout passed before net start ${service}: start it now`,
    };
  }
  const start = classifyNet(await executor.run(NET, ['start', service], { timeoutMs: remainingMs() }), step);
  return {
    step,
    outcome: start.outcome,
    detail: start.outcome === 'done' ? start.detail : `stopped, but start failed: ${start.detail}`,
  };
}

/** Pid -> service name of every running service, for `wsgictl ps` on Windows; empty when sc.exe cannot answer. */
export async function mapServicePids(executor: Executor): Promise<Map<number, string>> {
  const result = await executor.run(SC, ['queryex', 'type=', 'service']);
  if (result.code !== 0) return new Map();
  return new Map(
    parseScQueryex(result.stdout)
      .filter((service) => service.pid > 0)
      .map((service) => [service.pid, service.name]),
  );
}
