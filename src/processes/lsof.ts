/**
 * Unix sockets per process from lsof's field output (`-F`): each line is one field, its first character
 * says which: `p` starts a process set (pid), `f` a file set (fd; older lsof prints it unasked), `n` the
 * name. For a unix socket lsof's darwin dialect (dsock.c) names the address bound to that very socket:
 * a path for a listener and for the connections accepted on it, `->0x...` for a connected client.
 */

/** One call for every pid: numbers only (-n -P), no warnings (-w), unix sockets (-U) of these pids (-a -p). */
export function lsofArguments(pids: number[]): string[] {
  return ['-nP', '-w', '-U', '-a', '-p', pids.join(','), '-F', 'pn'];
}

/** pid -> the names of its unix sockets, for every process set in the output (possibly with none). */
export function parseLsofFields(text: string): Map<number, string[]> {
  const names = new Map<number, string[]>();
  let current: string[] | null = null;
  for (const line of text.split('\n')) {
    const field = line[0];
    const value = line.slice(1).replace(/\r$/, '');
    if (field === 'p' && /^\d+$/.test(value)) {
      current = [];
      names.set(Number(value), current);
    } else if (field === 'n' && current) {
      current.push(value);
    }
  }
  return names;
}

/** The bound paths among a process's unix socket names (not peers, not `no address`). */
export function boundPaths(names: string[]): Set<string> {
  return new Set(names.filter((name) => name.startsWith('/')));
}
