import { usageError } from '../errors.js';

/**
 * Windows service names may hold almost anything but `/` and `\`; wsgictl accepts the characters real
 * Apache service names use (Apache2.4, "Apache HTTP Server", httpd-8080) and nothing that a program's own
 * argument parser could read as a switch or a quote.
 */
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,79}$/;

/** The name `httpd -k install` gives a service when no `-n` is passed (Apache Lounge 2.4 builds). */
export const DEFAULT_SERVICE_NAME = 'Apache2.4';

export function validateServiceName(name: string): string {
  if (!SERVICE_NAME.test(name) || name.trimEnd() !== name) {
    throw usageError(
      `--service "${name}" is not a service name wsgictl accepts: use letters, digits, space, . _ ( ) - (at most 80, e.g. Apache2.4); see \`sc query type= service\``,
    );
  }
  return name;
}

/**
 * The service name httpd itself uses for `-n NAME`: mpm_service_set_name() (server/mpm/winnt/service.c)
 * runs apr_collapse_spaces over it, which drops every white-space character, so `httpd -k install -n
 * "Apache HTTP Server"` registers the key name `ApacheHTTPServer` (its display name keeps the spaces).
 */
export function collapseServiceName(name: string): string {
  return name.replace(/[ \t\n\v\f\r]/g, '');
}

/** A process id as text: digits only, so it can be spliced into an event name and a PowerShell script. */
export function validatePid(value: string | number, what: string): number {
  const text = String(value).trim();
  if (!/^\d{1,10}$/.test(text) || Number(text) < 1 || Number(text) > 0xffffffff) {
    throw usageError(`${what} holds "${text.slice(0, 40)}", not a process id: expected digits only`);
  }
  return Number(text);
}

/** The named event Apache's parent waits on (server/mpm/winnt/mpm_winnt.c: `ap<pid>_restart`). */
export function restartEventName(pid: number, global: boolean): string {
  const checked = validatePid(pid, 'the Apache parent pid');
  return `${global ? 'Global\\' : ''}ap${checked}_restart`;
}
