import type { LogMark } from '../errorlog/file.js';
import { readSince } from '../errorlog/file.js';
import { isAtLeast, parseLogText } from '../errorlog/parse.js';
import { DAEMON_ENDED, findGroupSubject } from '../errorlog/wording.js';

export interface LoggedEnds {
  deaths: number[];
  /** The first line at crit or worse written by one of the group's new daemons. */
  fatal: string | null;
}

/**
 * What the log lines since the marks say about `group`'s new daemons: the pids the parent says died or
 * ended (4.x `mod_wsgi (pid=N): Process 'G' has died...` / `... terminated ...`, 6.x `Process 'G' (pid=N) has
 * died...`; written at LogLevel info only, at warn the wait goes by what it sees in /proc), and the first
 * line at crit or worse that one of `pids` wrote (6.x `WSGI0028: Python initialisation failed`).
 */
export function readLoggedEnds(
  marks: LogMark[],
  group: string,
  pids: number[],
  exclude: ReadonlySet<number>,
): LoggedEnds {
  const deaths = new Set<number>();
  let fatal: string | null = null;
  for (const mark of marks) {
    for (const line of parseLogText(readSince(mark).text)) {
      const pid = DAEMON_ENDED.test(line.message) ? findGroupSubject(line.message, group) : null;
      if (pid !== null && !exclude.has(pid)) deaths.add(pid);
      if (fatal === null && line.pid !== null && pids.includes(line.pid) && isAtLeast(line.level, 'crit')) {
        fatal = line.raw;
      }
    }
  }
  return { deaths: [...deaths], fatal };
}
