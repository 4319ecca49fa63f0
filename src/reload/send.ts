import { WsgictlError } from '../errors.js';
import { formatList } from '../format.js';
import type { ProcessInfo, ProcessSource } from '../processes/types.js';
import type { GroupPlan } from './plan.js';
import { checkStillTarget, findRefused, type Kill } from './recheck.js';
import type { AppSignal, RestartSignal } from './signals.js';
import type { ReloadEvent } from './types.js';

/** What sending needs from the reload's dependencies. */
export interface SendDeps {
  kill: Kill;
  onEvent: (event: ReloadEvent) => void;
}

/**
 * Exit 4 before anything is sent when any target may not be signalled by this caller. `otherWay` ends the
 * advice: a reload can touch the WSGI script instead, which needs no right over the processes.
 */
export function assertAllowed(
  plans: GroupPlan[],
  kill: Kill,
  otherWay = ', or use --touch SCRIPT if you can write the WSGI script',
): void {
  const refused = findRefused(
    plans.flatMap((plan) => plan.targets),
    kill,
  );
  if (refused.length === 0) return;
  const owners = formatList([...new Set(refused.map((target) => target.user))]);
  const groups = formatList([
    ...new Set(plans.filter((p) => p.targets.some((t) => refused.includes(t))).map((p) => p.group)),
  ]);
  throw new WsgictlError(
    'PERMISSION',
    `not allowed to signal ${groups} (processes run as ${owners}; nothing was sent): run with sudo or as ${owners}${otherWay}`,
  );
}

/**
 * Signals one target if it is still the planned process; returns the reason when it was skipped. SIGKILL
 * comes only as --kill-after's follow-up, through the very same re-check; SIGHUP and SIGUSR2 only from
 * `wsgictl signal`, once the module is known to hand them to the application.
 */
export async function signalOne(
  source: ProcessSource,
  plan: GroupPlan,
  target: ProcessInfo,
  signal: RestartSignal | AppSignal | 'SIGKILL',
  deps: SendDeps,
): Promise<string | null> {
  const changed = await checkStillTarget(source, target, plan.instance, plan.group);
  if (changed) return changed;
  try {
    deps.kill(target.pid, signal);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return 'exited before it was signalled';
    if (code === 'EPERM' || code === 'EACCES') {
      throw new WsgictlError(
        'PERMISSION',
        `signalling pid ${target.pid} was refused (${code}): run with sudo`,
        {
          cause: error,
        },
      );
    }
    throw new WsgictlError('FAILED', `signalling pid ${target.pid} failed (${code ?? String(error)})`, {
      cause: error,
    });
  }
  if (signal === 'SIGKILL') return null;
  deps.onEvent({
    type: 'signalled',
    instance: plan.instance.parent.pid,
    group: plan.group,
    pid: target.pid,
    signal,
  });
  return null;
}
