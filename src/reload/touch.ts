import { utimesSync } from 'node:fs';
import type { LogLine } from '../errorlog/parse.js';
import { WsgictlError } from '../errors.js';
import type { ProcessSource } from '../processes/types.js';
import { describeMembers, plannedResult, settledResult } from './confirm/result.js';
import { findStillRunning, waitForReplacements } from './confirm/wait.js';
import type { GroupPlan } from './plan.js';
import type { GroupReloadResult, ReloadRequest } from './types.js';

/**
 * Sets the WSGI script's mtime to now: with WSGIScriptReloading On (the default), the daemon that serves
 * the next request for it restarts. Needs write access to the file, not to the processes.
 */
export function touchScript(path: string, now = new Date()): void {
  try {
    utimesSync(path, now, now);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new WsgictlError('USAGE', `no WSGI script at ${path}: pass the file named by WSGIScriptAlias`, {
        cause: error,
      });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new WsgictlError(
        'PERMISSION',
        `may not change ${path} (${code}): run as its owner, or with sudo`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

/**
 * `--touch`: no signal at all. With a URL, one request makes mod_wsgi restart the group now, and the
 * replacements are confirmed as after a signal; without one, the restart waits for the next request.
 */
export async function touchAndConfirm(
  source: ProcessSource,
  plans: GroupPlan[],
  request: ReloadRequest & { touch: string; timeoutMs: number },
  /** Each plan's error-log lines since the touch, which tell a crash from churn. */
  tails: Array<() => LogLine[]> = [],
): Promise<GroupReloadResult[]> {
  const planned = plans.map((plan) => plannedResult(plan, 'touch'));
  if (request.dryRun) return planned;
  const started = Date.now();
  touchScript(request.touch);
  if (request.url === undefined) {
    return planned.map((result) => ({
      ...result,
      outcome: 'touched',
      members: result.members.map((member) => ({ ...member, state: 'signalled' })),
    }));
  }
  try {
    const { httpGet } = await import('../http.js'); // node:http only for the one command that needs it
    await httpGet(request.url, request.timeoutMs);
  } catch (error) {
    const reason = (error as Error).message;
    throw new WsgictlError('FAILED', `touched ${request.touch}, but GET ${request.url} failed: ${reason}`, {
      cause: error,
    });
  }
  const results: GroupReloadResult[] = [];
  for (const [i, plan] of plans.entries()) {
    const wait = await waitForReplacements({
      source,
      context: plan.instance.context,
      group: plan.group,
      before: plan.targets,
      signalled: plan.targets,
      replacements: plan.targets.length,
      deadline: started + request.timeoutMs,
      readEvidence: tails[i],
    });
    const running = wait.done ? new Set<number>() : await findStillRunning(source, plan.targets);
    const members = describeMembers({
      targets: plan.targets.map((target) => target.pid),
      signalled: new Set(plan.targets.map((target) => target.pid)),
      skipped: new Map(),
      paired: new Map(),
      newPids: wait.newPids,
      endedInOrder: (wait.ended ?? []).filter((end) => end.kind === 'churn').length,
      running,
      waited: true,
    });
    results.push(settledResult(planned[i] as GroupReloadResult, wait, started, members));
  }
  return results;
}
