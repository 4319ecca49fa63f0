import type { Attempt } from './event.js';
import type { Executor, RunResult } from './exec.js';

export const SC = 'sc.exe';
export const NET = 'net.exe';

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

/** The executable of a service from `sc qc NAME` (`BINARY_PATH_NAME : "C:\Apache24\bin\httpd.exe" -k runservice`). */
export function parseScQcBinary(text: string): string | null {
  const match = /^\s*BINARY_PATH_NAME\s*:\s*(.+)$/m.exec(text);
  const value = match?.[1]?.trim();
  if (!value) return null;
  if (value.startsWith('"')) return /^"([^"]+)"/.exec(value)?.[1] ?? null;
  return /^(\S+?\.exe)\b/i.exec(value)?.[1] ?? value.split(/\s+/)[0] ?? null;
}

export type ServiceLookup = { known: true; service: string | null } | { known: false; detail: string };

function describeFailure(command: string, result: RunResult): string {
  if (result.code === null) return `${command} could not run (${result.error ?? 'killed'})`;
  const said = `${result.stdout}\n${result.stderr}`
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
  return `${command} exited ${result.code}${said ? `: ${said}` : ''}`;
}

/** Which service runs as this process, if any: `sc queryex type= service` lists the pid of every running one. */
export async function findServiceByPid(executor: Executor, pid: number): Promise<ServiceLookup> {
  const result = await executor.run(SC, ['queryex', 'type=', 'service']);
  if (result.code !== 0) return { known: false, detail: describeFailure('sc queryex', result) };
  const match = parseScQueryex(result.stdout).find((service) => service.pid === pid);
  return { known: true, service: match?.name ?? null };
}

/** The httpd.exe a service runs, from `sc qc NAME`; null when the service or its path cannot be read. */
export async function readServiceBinary(executor: Executor, service: string): Promise<string | null> {
  const result = await executor.run(SC, ['qc', service]);
  return result.code === 0 ? parseScQcBinary(result.stdout) : null;
}

function oneLine(result: RunResult): string {
  return `${result.stderr}\n${result.stdout}`
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' ');
}

/**
 * Reads `httpd.exe -k restart -n NAME` (server/mpm/winnt/service.c, mpm_signal_service). httpd exits 0 even
 * when the restart failed, so only its words count: "The 'X' service has restarted." is success.
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
  if (/AH00436|AH00437|No installed service named/.test(said))
    return { step, outcome: 'missing', detail: said };
  if (/\(OS 5\)|Access is denied/i.test(said))
    return { step, outcome: 'denied', detail: `${said}: run elevated` };
  if (/service has restarted\.|service is running\./.test(said))
    return { step, outcome: 'done', detail: said };
  return { step, outcome: 'failed', detail: said || `exit code ${result.code}` };
}

export async function restartWithHttpd(executor: Executor, httpd: string, service: string): Promise<Attempt> {
  const result = await executor.run(httpd, ['-k', 'restart', '-n', service]);
  return classifyHttpdRestart(result, `httpd.exe -k restart -n ${service}`);
}

/** Reads `net stop|start NAME`: 0 is success; 2185 no such service; error 5 access denied; 3521 not started. */
export function classifyNet(result: RunResult, step: string): Attempt & { notStarted: boolean } {
  const said = oneLine(result);
  const notStarted = /HELPMSG 3521\b/.test(said);
  if (result.code === null) {
    return {
      step,
      outcome: 'unavailable',
      detail: `net.exe could not run (${result.error ?? 'killed'})`,
      notStarted,
    };
  }
  if (result.code === 0) return { step, outcome: 'done', detail: said, notStarted };
  if (/HELPMSG 2185\b/.test(said)) return { step, outcome: 'missing', detail: said, notStarted };
  if (/System error 5\b/.test(said))
    return { step, outcome: 'denied', detail: `${said}: run elevated`, notStarted };
  return { step, outcome: 'failed', detail: said || `exit code ${result.code}`, notStarted };
}

/** The heavy fallback: stop the service (waits until stopped) and start it again; every request in flight is cut. */
export async function stopStartService(executor: Executor, service: string): Promise<Attempt> {
  const step = `net stop/start ${service}`;
  const stop = classifyNet(await executor.run(NET, ['stop', service]), step);
  if (stop.outcome !== 'done' && !stop.notStarted)
    return { step, outcome: stop.outcome, detail: `stop: ${stop.detail}` };
  const start = classifyNet(await executor.run(NET, ['start', service]), step);
  return {
    step,
    outcome: start.outcome,
    detail: start.outcome === 'done' ? start.detail : `start: ${start.detail}`,
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
