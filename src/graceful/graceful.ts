import { realpathSync } from 'node:fs';
import type { LogMark } from '../errorlog/file.js';
import { markGroupLogs, readGroupErrors } from '../errorlog/group-errors.js';
import { usageError, WsgictlError } from '../errors.js';
import { discoverInstances } from '../groups/discover.js';
import type { ApacheInstance } from '../groups/instance.js';
import { readListeners } from '../groups/listeners.js';
import { prepareCheck, runCheck } from '../health/check.js';
import { isApacheComm } from '../processes/apache-names.js';
import type { ProcessSource } from '../processes/types.js';
import { acquireLock, describeHolder, lockName } from '../reload/lock.js';
import { defaultKill, type Kill } from '../reload/recheck.js';
import {
  type ConfigTestResult,
  type ConfigTestRun,
  configTestArgs,
  configTestEnv,
  runConfigTest,
} from './config-test.js';
import { drainGroups } from './drain.js';
import { type GenerationWatch, waitForGeneration } from './generation.js';
import { readLoggedEnds } from './log-deaths.js';
import { planGroups } from './plan.js';
import { findTestBinary } from './test-binary.js';
import type { GracefulGroup, GracefulRequest, GracefulResult } from './types.js';

export interface GracefulDeps {
  kill?: Kill;
  runTest?: (run: ConfigTestRun) => Promise<ConfigTestResult>;
  now?: () => number;
  /** Progress lines for a long step (--drain), said as they happen. */
  onProgress?: (message: string) => void;
}

/** The config test failed: Apache's own message is in `output`; nothing was signalled. */
export class ConfigTestFailedError extends WsgictlError {
  readonly output: string;
  constructor(message: string, output: string) {
    super('FAILED', message);
    this.name = 'ConfigTestFailedError';
    this.output = output;
  }
}

async function chooseInstance(source: ProcessSource, pid: number | undefined): Promise<ApacheInstance> {
  const instances = await discoverInstances(source, { instance: pid });
  if (pid !== undefined) {
    const named = instances[0];
    if (!named)
      throw new WsgictlError('NO_PROCESSES', `no Apache parent with pid ${pid}: check \`wsgictl ps\``);
    if (named.distrust) {
      throw new WsgictlError(
        'REFUSED',
        `Apache pid ${pid} is not trusted (${named.distrust}): nothing was run or signalled`,
      );
    }
    return named;
  }
  if (instances.length === 0)
    throw new WsgictlError('NO_PROCESSES', 'no Apache with mod_wsgi is running: check `wsgictl ps`');
  if (instances.length > 1) {
    throw usageError(
      `${instances.length} Apache instances run (pids ${instances.map((i) => i.parent.pid).join(', ')}): pass --instance PID`,
    );
  }
  return instances[0] as ApacheInstance;
}

/** Each planned group with how the wait saw it, and the error-log lines of the ones that failed. */
function settleGroups(planned: GracefulGroup[], watch: GenerationWatch, marks: Map<string, LogMark[]>) {
  return planned.map((group): GracefulGroup => {
    if (group.change === 'removed') {
      const left = group.oldPids.filter((pid) => watch.oldDaemonsLeft.includes(pid));
      return {
        ...group,
        state: 'removed',
        ...(left.length > 0 ? { reason: `still running: ${left.join(' ')}` } : {}),
      };
    }
    const seen = watch.groups.find((each) => each.group === group.group);
    const up = seen !== undefined && seen.upAfterMs !== null && seen.upPids.length >= group.processes;
    const settled: GracefulGroup = {
      ...group,
      state: up ? 'up' : 'failed',
      newPids: seen?.upPids ?? [],
      ms: up ? (seen?.upAfterMs ?? null) : null,
    };
    if (up) return settled;
    const died = seen?.deaths.length ?? 0;
    settled.reason = seen?.fatal
      ? `a new daemon of it logged: ${seen.fatal.replace(/^(\[[^\]]*\] ){3}/, '')}`
      : died > 0
        ? `its new daemons keep dying (${died} seen exiting: ${seen?.deaths.join(' ')})`
        : `${seen?.upPids.length ?? 0} of ${group.processes} daemons up at the timeout`;
    const pids = { newPids: seen?.seenPids ?? [], oldPids: group.oldPids };
    return { ...settled, ...readGroupErrors(marks.get(group.group) ?? [], group.group, pids) };
  });
}

/**
 * `wsgictl graceful`: tests the configuration with the instance's own binary and command line, then (unless
 * a dry run) drains the groups if asked, sends SIGUSR1 to the Apache parent and waits until every group of
 * the new configuration has its daemons up, identified by the new listener sockets; with a check, requests
 * each group's mount points. Throws before anything is signalled when the config test fails.
 */
export async function gracefulRestart(
  source: ProcessSource,
  request: GracefulRequest,
  deps: GracefulDeps = {},
): Promise<GracefulResult> {
  const chosen = await chooseInstance(source, request.instance);
  if (request.dryRun) return restartInstance(source, chosen, request, deps);
  // The same turn as a reload's: a reload signalling the daemons while Apache replaces them would confuse both.
  const turn = await acquireLock(lockName(chosen.parent.pid, chosen.parent.startKey), {
    instance: chosen.parent.pid,
    timeoutMs: request.timeoutMs,
    onWait: (holder) =>
      deps.onProgress?.(
        `another reload of Apache pid ${chosen.parent.pid} is under way: ${describeHolder(holder)}; waiting for it to end`,
      ),
  });
  try {
    // After a wait, the processes are read again: the other reload replaced them.
    const instance = turn.waited ? await chooseInstance(source, chosen.parent.pid) : chosen;
    return await restartInstance(source, instance, request, deps);
  } finally {
    turn.release();
  }
}

/** The parent's working directory (Linux), or '/' where it cannot be read: a relative `-d` was read against it. */
function readCwd(source: ProcessSource, pid: number): string {
  if (source.procRoot === undefined) return '/';
  try {
    return realpathSync(`${source.procRoot}/${pid}/cwd`);
  } catch {
    return '/';
  }
}

async function restartInstance(
  source: ProcessSource,
  instance: ApacheInstance,
  request: GracefulRequest,
  deps: GracefulDeps,
): Promise<GracefulResult> {
  const now = deps.now ?? Date.now;
  const kill = deps.kill ?? defaultKill;
  const parent = instance.parent;
  const binary = await findTestBinary(source, instance);
  const args = configTestArgs(parent.argv);
  const test = await (deps.runTest ?? runConfigTest)({
    binary,
    args,
    env: configTestEnv(await source.environment(parent.pid)),
    cwd: readCwd(source, parent.pid),
  });
  if (!test.ok) {
    const why = test.failure ? ` (${test.failure})` : '';
    throw new ConfigTestFailedError(
      `the configuration test of Apache pid ${parent.pid} failed${why}: nothing was signalled; fix what Apache says above and run again`,
      test.output,
    );
  }
  const planned = planGroups(instance);
  // Prepared before any signal: a group with nothing to request is a usage error while nothing was sent.
  const check = request.check;
  const checks = check
    ? instance.config.groups.map((group) => prepareCheck(instance, group.name, check, []))
    : [];
  const oldListeners = instance.context.listeners ?? new Map();
  const result: GracefulResult = {
    instance: parent.pid,
    configTest: { binary, args, ms: test.ms, output: test.output },
    outcome: 'dry-run',
    generation: { before: [...oldListeners.values()][0]?.generation ?? null, after: null },
    groups: planned,
    oldDaemonsLeft: [],
    ms: 0,
  };
  if (request.dryRun) return result;
  try {
    kill(parent.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPERM') {
      throw new WsgictlError(
        'PERMISSION',
        `not allowed to signal Apache pid ${parent.pid} (runs as ${parent.user}; nothing was sent): run with sudo`,
      );
    }
  }
  if (request.drain) {
    result.drained = await drainGroups({
      source,
      instance,
      kill,
      deadline: now() + request.timeoutMs,
      now,
      onGroup: (group, pids) =>
        deps.onProgress?.(`draining ${group}: SIGUSR1 to ${pids.join(' ') || 'nothing'}`),
    });
  }
  const marks = new Map(
    instance.config.groups.map((group) => [group.name, markGroupLogs(instance, group.name)]),
  );
  const before = await readListeners(source, parent);
  const latest = await source.read(parent.pid);
  if (!latest || latest.startKey !== parent.startKey) {
    throw new WsgictlError(
      'FAILED',
      `Apache pid ${parent.pid} exited before its graceful restart: nothing was sent to it`,
    );
  }
  // The children now (after a drain, the replacements), none of which may count as the new generation.
  const table = await source.list({ detail: (stub) => isApacheComm(stub.comm) });
  const children = table.processes.filter((info) => info.ppid === parent.pid);
  // Old workers finish their requests as Apache's graceful restart lets them; only old daemons are reported.
  const workers = new Set(instance.children.filter((m) => m.role === 'worker').map((m) => m.process.pid));
  const oldPids = new Set([...instance.children.map((m) => m.process.pid), ...children.map((c) => c.pid)]);
  const signalledAt = now();
  kill(parent.pid, 'SIGUSR1');
  const watch = await waitForGeneration({
    source,
    parent,
    oldInodes: new Set((before ?? []).map((listener) => listener.inode)),
    oldChildren: new Map(children.map((child) => [child.pid, child.startKey])),
    oldDaemons: children.map((child) => child.pid).filter((pid) => !workers.has(pid)),
    groups: instance.config.groups,
    inspectLog: (group, pids) => readLoggedEnds(marks.get(group) ?? [], group, pids, oldPids),
    signalledAt,
    deadline: signalledAt + request.timeoutMs,
    now,
  });
  result.ms = watch.ms;
  result.generation.after = watch.generation;
  result.oldDaemonsLeft = watch.oldDaemonsLeft;
  if (watch.failure) result.failure = watch.failure;
  result.groups = settleGroups(planned, watch, marks);
  for (const prepared of checks) {
    const group = result.groups.find((each) => each.group === prepared.group);
    if (!check || group?.state !== 'up') continue;
    const report = await runCheck(
      { ...prepared, logs: marks.get(prepared.group) ?? [] },
      group,
      check.timeoutMs,
    );
    Object.assign(group, report);
  }
  const failed = result.groups.some(
    (group) => group.state === 'failed' || (group.health ?? []).some((health) => !health.ok),
  );
  result.outcome = failed || result.failure ? 'failed' : 'done';
  return result;
}
