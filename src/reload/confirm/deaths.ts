/**
 * How many replacements must be seen dying during one wait before it stops as a crash loop. One death can be
 * bad luck (an OOM kill, an operator); two mean the parent keeps re-creating daemons that do not stay up.
 */
export const CRASH_LOOP_DEATHS = 2;

/**
 * Tracks the group's new members across polls: one that was seen and is gone (and not running as the same
 * process any more) is a replacement that died. mod_wsgi's parent re-creates a dead daemon about once a
 * second, so a daemon that crashes at start-up (a segfault in an import, `os._exit` in a preloaded script)
 * shows as a string of new pids, each seen for a moment.
 */
export function createDeathTracker(isRunning: (pid: number, startKey: string) => Promise<boolean>) {
  const alive = new Map<number, string>();
  const died: number[] = [];
  return {
    /** One poll's new members, pid -> start key; resolves to how many have died so far. */
    async observe(members: Map<number, string>): Promise<number> {
      for (const [pid, key] of alive) {
        if (members.get(pid) === key) continue;
        alive.delete(pid);
        // A member can drop out of one poll's identification and still run: only a process that is gone counts.
        if (!(await isRunning(pid, key))) died.push(pid);
      }
      for (const [pid, key] of members) alive.set(pid, key);
      return died.length;
    },
    listDeaths: (): number[] => [...died],
  };
}
