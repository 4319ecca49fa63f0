/**
 * The lines a real mod_wsgi writes, as patterns per version line, for tests that read a sandbox's error log:
 * 4.x and 5.x prefix their own lines with `mod_wsgi (pid=N): `, 6.x does not and says `daemon process 'G'`
 * (see src/errorlog/wording.ts and the recordings under test/fixtures/mod_wsgi/VERSION/).
 */
function quote(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function isSixOrLater(version: string | null): boolean {
  return version !== null && Number(version.split('.')[0]) >= 6;
}

export type Lifecycle = 'start' | 'shutdown' | 'eviction' | 'fault';

/**
 * The line mod_wsgi `version` writes when a daemon of `group` starts, is asked to shut down (SIGINT), is asked
 * to restart gracefully (SIGUSR1), or ends on signal `signal` (the parent's line); `pid`, when given, is the
 * daemon's (for 'fault' any pid).
 */
export function lifecyclePattern(
  version: string | null,
  kind: Lifecycle,
  group: string,
  options: { pid?: number; signal?: number } = {},
): RegExp {
  const g = quote(group);
  const pid = options.pid === undefined ? '\\d+' : String(options.pid);
  const six = isSixOrLater(version);
  switch (kind) {
    case 'start':
      return six
        ? new RegExp(`\\[pid ${pid}(?::tid \\d+)?\\] Starting daemon process '${g}'`)
        : new RegExp(`\\(pid=${pid}\\): Starting process '${g}'`);
    case 'shutdown':
      return six
        ? new RegExp(`\\[pid ${pid}(?::tid \\d+)?\\] Shutdown requested for daemon process '${g}'`)
        : new RegExp(`\\(pid=${pid}\\): Shutdown requested '${g}'`);
    case 'eviction':
      return six
        ? new RegExp(`\\[pid ${pid}(?::tid \\d+)?\\] Graceful restart requested; `)
        : new RegExp(`\\(pid=${pid}\\): Process eviction requested`);
    case 'fault':
      return six
        ? new RegExp(`Process '${g}' \\(pid=\\d+\\) terminated by signal ${options.signal ?? '\\d+'}`)
        : new RegExp(`Process '${g}' terminated by signal ${options.signal ?? '\\d+'}`);
  }
}
