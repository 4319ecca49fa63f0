/** The pids of a process and all its ancestors, from a pid -> ppid map; stops at pid 0 and on a loop. */
export function selfAndAncestors(parents: Map<number, { ppid: number }>, self: number): Set<number> {
  const chain = new Set<number>();
  let pid: number | undefined = self;
  while (pid !== undefined && pid > 0 && !chain.has(pid)) {
    chain.add(pid);
    pid = parents.get(pid)?.ppid;
  }
  return chain;
}
