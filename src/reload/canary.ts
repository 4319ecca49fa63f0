import { isAtLeast, type LogLine } from '../errorlog/parse.js';
import type { ApacheInstance } from '../groups/instance.js';
import type { ProcessSource } from '../processes/types.js';

/** How long a replaced process must stay up, once it has loaded, to count as proven. */
export const PROVE_SETTLE_MS = 500;

/** 4.x/5.x `Loading Python script file '...'`, 6.x `Loading WSGI script '...' into ...` (LogLevel info). */
const LOADED = /Loading Python script file '|Loading WSGI script '/;
/** 4.x/5.x `Failed to exec Python script file`, 6.x WSGI0109/0110 `Unable to execute Python script`. */
const FAILED =
  /Failed to exec Python script file|Unable to execute Python script|Exception occurred processing WSGI script/;

/** What proves (or not) that one replaced process runs the new release. */
export interface ProcessProof {
  ok: boolean;
  pids: number[];
  /** A line of theirs says the script was loaded (only at LogLevel info or more). */
  loaded: boolean;
  /** Why not, in a few words. */
  reason?: string;
  /** Their own error lines: the traceback. */
  lines: string[];
}

/**
 * Whether the group's script is loaded as each daemon starts (a `WSGIScriptAlias` with both
 * `process-group=` and `application-group=`, or a `WSGIImportScript` for the group): only then can one
 * process fail, or be proven, before it serves.
 */
export function isPreloaded(instance: ApacheInstance, group: string): boolean {
  const sites = instance.config.sites;
  return (
    (sites?.mounts ?? []).some(
      (mount) => mount.processGroup === group && mount.applicationGroup !== undefined,
    ) || (sites?.imports ?? []).some((entry) => entry.processGroup === group)
  );
}

/**
 * Judges replaced processes by their own log lines since the reload began and whether they still run: an
 * error line from one of them (mod_wsgi's "failed to exec" and the traceback under it) fails them.
 */
export function judgeProcesses(lines: LogLine[], pids: number[], running: ReadonlySet<number>): ProcessProof {
  const wanted = new Set(pids);
  const own = lines.filter((line) => line.pid !== null && wanted.has(line.pid));
  const loaded = own.some((line) => LOADED.test(line.message));
  const errors = own.filter((line) => FAILED.test(line.message) || isAtLeast(line.level, 'error'));
  if (errors.length > 0) {
    const failed = FAILED.test(errors.map((line) => line.message).join('\n'));
    return {
      ok: false,
      pids,
      loaded,
      reason: failed ? 'its WSGI script raised an exception as it loaded' : 'it logged errors as it started',
      lines: errors.map((line) => line.raw),
    };
  }
  const gone = pids.filter((pid) => !running.has(pid));
  if (gone.length > 0) {
    return { ok: false, pids, loaded, reason: `pid ${gone.join(' ')} exited after it started`, lines: [] };
  }
  return { ok: true, pids, loaded, lines: [] };
}

/**
 * Proves the replacements of a rolling step: once they are up (their threads started, so a preloaded script
 * has been run), they must stay up PROVE_SETTLE_MS, as the same processes, with no error line of their own.
 */
export async function proveReplacements(
  source: ProcessSource,
  members: ReadonlyMap<number, string>,
  pids: number[],
  readEvidence: () => LogLine[],
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<ProcessProof> {
  await sleep(PROVE_SETTLE_MS);
  const running = new Set<number>();
  for (const pid of pids) {
    const now = await source.read(pid);
    if (now && (members.get(pid) === undefined || members.get(pid) === now.startKey)) running.add(pid);
  }
  return judgeProcesses(readEvidence(), pids, running);
}
