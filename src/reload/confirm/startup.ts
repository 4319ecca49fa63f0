import type { LogLine } from '../../errorlog/parse.js';

/**
 * The lines a daemon writes just before mod_wsgi's anti-fork-bomb `sleep(20)`: it could not be set up and
 * will exit in 20 s, looking alive until then. 4.9/5.0: `Failure to configure the daemon process correctly
 * and process left in unspecified state. Restarting daemon process after delay.` (after a failed setuid,
 * setgid, initgroups or chdir to home=), `Couldn't initialise accept mutex|signal pipe`; 6.x (wsgi_daemon.c,
 * WSGI0008/0025/0026/0027/0020-0022/0206): `Daemon process configuration failed; process left in
 * unspecified state`, `Unable to initialise accept mutex|signal (event) pipe`, `Unable to create worker
 * thread`.
 */
const DELAYED_EXIT =
  /Failure to configure the daemon process|Daemon process configuration failed|Couldn't initialise (?:accept mutex|signal pipe)|Unable to initialise (?:accept mutex|signal (?:event )?pipe)|Unable to create worker thread/;

/** The reason mod_wsgi gave just before, written by the same daemon: `Unable to change working directory to '/x'`. */
const CAUSE = /Unable to (?:change|set)|Couldn't (?:set|change|bind|create)|Unable to (?:create|bind)/;

export interface StartupFailure {
  pid: number;
  /** The daemon's own lines about it, as written: its cause when it gave one, then the failure. */
  lines: string[];
}

/**
 * The daemons among `pids` that said they failed to start and will exit after mod_wsgi's delay, from the
 * group's log lines since the reload began, each with its lines; in the order of `pids`.
 */
export function findStartupFailures(lines: LogLine[], pids: Iterable<number>): StartupFailure[] {
  const wanted = new Set(pids);
  const found = new Map<number, string[]>();
  const causes = new Map<number, string[]>();
  for (const line of lines) {
    if (line.pid === null || !wanted.has(line.pid)) continue;
    if (DELAYED_EXIT.test(line.message)) {
      found.set(line.pid, [...(causes.get(line.pid) ?? []), ...(found.get(line.pid) ?? []), line.raw]);
      causes.delete(line.pid);
    } else if (CAUSE.test(line.message)) causes.set(line.pid, [...(causes.get(line.pid) ?? []), line.raw]);
  }
  return [...wanted]
    .filter((pid) => found.has(pid))
    .map((pid) => ({ pid, lines: found.get(pid) as string[] }));
}
