import { readFile } from 'node:fs/promises';
import { WsgictlError } from '../errors.js';
import { isApacheComm } from '../processes/apache-names.js';
import type { ProcessInfo } from '../processes/types.js';
import { validatePid } from './names.js';

/** An Apache on Windows: one parent httpd.exe and (outside a restart) one child that serves every request. */
export interface WindowsInstance {
  parentPid: number;
  children: number[];
}

/** The httpd.exe processes whose parent is not httpd.exe, each with its httpd.exe children. */
export function findWindowsInstances(processes: ProcessInfo[]): WindowsInstance[] {
  const byPid = new Map(processes.map((info) => [info.pid, info]));
  const apache = processes.filter((info) => isApacheComm(info.comm));
  return apache
    .filter((info) => !isApacheComm(byPid.get(info.ppid)?.comm ?? ''))
    .map((parent) => ({
      parentPid: parent.pid,
      children: apache.filter((child) => child.ppid === parent.pid).map((child) => child.pid),
    }));
}

/** Every httpd.exe pid now: a restart is confirmed by a child that is not among them. */
export function apachePids(processes: ProcessInfo[]): Set<number> {
  return new Set(processes.filter((info) => isApacheComm(info.comm)).map((info) => info.pid));
}

export type ReadText = (path: string) => Promise<string>;

/** Reads Apache's PidFile (the parent pid, digits and a newline). */
export async function readPidfile(
  path: string,
  read: ReadText = (file) => readFile(file, 'utf8'),
): Promise<number> {
  let text: string;
  try {
    text = await read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new WsgictlError(
      code === 'EACCES' || code === 'EPERM' ? 'PERMISSION' : 'NO_PROCESSES',
      `cannot read pidfile ${path} (${code}): is Apache running, and is that its PidFile? Pass --pidfile FILE`,
      { cause: error },
    );
  }
  return validatePid(text, `pidfile ${path}`);
}

/** Picks the instance to restart: the pidfile's, the one --instance names, or the only one running. */
export function chooseInstance(instances: WindowsInstance[], wanted: number | undefined): WindowsInstance {
  if (wanted !== undefined) {
    const found = instances.find((instance) => instance.parentPid === wanted);
    if (found) return found;
    // The pidfile may name a parent the process list cannot show (another session, no rights): try it anyway.
    return { parentPid: wanted, children: [] };
  }
  if (instances.length === 0) {
    throw new WsgictlError(
      'NO_PROCESSES',
      'no Apache (httpd.exe) is running on this machine: start it, or pass --pidfile FILE if it runs where this session cannot list it',
    );
  }
  if (instances.length > 1) {
    const pids = instances.map((instance) => instance.parentPid).join(', ');
    throw new WsgictlError(
      'USAGE',
      `${instances.length} Apache instances run (parent pids ${pids}): choose one with --instance PID or --pidfile FILE`,
    );
  }
  return instances[0] as WindowsInstance;
}
