import { findGroupErrorLogs } from '../errorlog/locate.js';
import { WsgictlError } from '../errors.js';
import { hostFiles } from '../files/view.js';
import { type Discovery, discoverApache } from '../groups/discover.js';
import type { Member } from '../groups/identify.js';
import type { ApacheInstance, GroupView } from '../groups/instance.js';
import { assertGroupsExist, daemonGroupsOf } from '../groups/lookup.js';
import { judgeSignal } from '../processes/signal-mask.js';
import type { ProcessSource, UnixSocketState } from '../processes/types.js';
import { countConnected } from '../reload/confirm/in-flight.js';
import { describeHiddenRestarts, groupLogLevel } from './log-level.js';
import { createLogWatch, type LogWatch } from './log-watch.js';
import { collectRestarts, findStopping, type RestartReason } from './restarts.js';
import type { MemberState, TopGroup, TopMember, TopSnapshot } from './types.js';

/** Restarts are counted over the last hour. */
export const RESTART_WINDOW_MS = 60 * 60 * 1000;
/** A daemon's reason may be logged a while before its death (a drain): kept this much longer. */
const REASON_SLACK_MS = 10 * 60 * 1000;

export const NEEDS_ROOT_NOTE =
  "requests in flight and member states need root: mod_wsgi's daemons drop privileges and their fds are readable by root only";

export interface TopOptions {
  /** Literal group names; empty: every group. */
  groups: string[];
  /** Only the Apache instance with this parent pid. */
  instance?: number;
  restartWindowMs?: number;
  /** The pid whose ancestry is never an instance (default: this process). */
  self?: number;
  now?: () => number;
}

export interface TopSampler {
  /** Reads every group and member now; CPU % over the time since the previous call. */
  sample(): Promise<TopSnapshot>;
  /** What the last sample found (the interactive view reloads and reads logs through it). */
  lastDiscovery(): Discovery | null;
  close(): void;
}

interface CpuReading {
  cpuMs: number;
  atMs: number;
}

function roundPercent(value: number): number {
  return Math.max(0, Math.round(value * 10) / 10);
}

function sumOrNull(values: (number | null)[]): number | null {
  return values.some((value) => value === null)
    ? null
    : values.reduce<number>((total, value) => total + (value ?? 0), 0);
}

/** The reader of the process table and the error logs: `top`'s one source of figures. */
export function createTopSampler(source: ProcessSource, options: TopOptions): TopSampler {
  const now = options.now ?? Date.now;
  const windowMs = options.restartWindowMs ?? RESTART_WINDOW_MS;
  const cpu = new Map<string, CpuReading>();
  const watches = new Map<string, LogWatch>();
  let previousMs: number | null = null;
  let discovery: Discovery | null = null;

  const watchOf = (instance: ApacheInstance): LogWatch => {
    const key = `${instance.parent.pid}:${instance.parent.startKey}`;
    let watch = watches.get(key);
    if (!watch) {
      watch = createLogWatch(instance.fileRoot);
      watches.set(key, watch);
    }
    return watch;
  };

  const readMember = async (
    member: Member,
    atMs: number,
    stopping: Map<number, { reason: RestartReason; atMs: number }>,
    seen: Map<string, CpuReading>,
    sockets: ReadonlyMap<string, UnixSocketState> | null,
  ): Promise<TopMember> => {
    const { process } = member;
    const key = `${process.pid}:${process.startKey}`;
    const startedMs = process.startedAt.getTime();
    let cpuPercent: number | null = null;
    if (process.cpuMs !== undefined) {
      seen.set(key, { cpuMs: process.cpuMs, atMs });
      const before = cpu.get(key) ?? { cpuMs: 0, atMs: startedMs };
      const elapsed = atMs - before.atMs;
      cpuPercent = elapsed > 0 ? roundPercent(((process.cpuMs - before.cpuMs) / elapsed) * 100) : null;
    }
    const inodes = sockets && (await source.socketInodes(process.pid));
    const inFlight = inodes ? countConnected(inodes, sockets) : null;
    const stop = stopping.get(process.pid);
    let state: MemberState = inFlight === null ? 'unknown' : inFlight > 0 ? 'serving' : 'idle';
    const masks = await source.signalMasks?.(process.pid);
    if (masks && judgeSignal(masks.process, masks.threads, 'SIGINT') === 'ignores') state = 'ignoring SIGINT';
    // A reason logged before this process started was another process's with the same pid.
    if (stop && stop.atMs >= startedMs - 1000) state = 'draining';
    return {
      pid: process.pid,
      startedAt: process.startedAt.toISOString(),
      uptimeMs: Math.max(0, atMs - startedMs),
      cpuPercent,
      rssBytes: process.rssBytes,
      threads: process.threads ?? null,
      inFlight,
      state,
    };
  };

  const readGroup = async (
    instance: ApacheInstance,
    view: GroupView,
    atMs: number,
    seen: Map<string, CpuReading>,
    sockets: ReadonlyMap<string, UnixSocketState> | null,
  ): Promise<TopGroup> => {
    const sources = findGroupErrorLogs(instance.config, view.name, hostFiles(instance.fileRoot));
    const { events, unreadable, readFromMs } = watchOf(instance).eventsOf(sources);
    const sinceMs = Math.max(atMs - windowMs, readFromMs ?? 0);
    const hidden = describeHiddenRestarts(groupLogLevel(instance.config.sites, view.name));
    const restartsUnknown = hidden ?? (unreadable.length > 0 ? unreadable.join('; ') : null);
    const restarts = restartsUnknown === null ? collectRestarts(events, view.name, sinceMs) : [];
    const stopping = findStopping(events, view.name);
    const members: TopMember[] = [];
    const daemons = [...view.members].sort((a, b) => a.process.pid - b.process.pid);
    for (const member of daemons) members.push(await readMember(member, atMs, stopping, seen, sockets));
    const reasons: TopGroup['reasons'] = {};
    for (const restart of restarts) reasons[restart.reason] = (reasons[restart.reason] ?? 0) + 1;
    const last = restarts[restarts.length - 1];
    const cpuValues = members.map((member) => member.cpuPercent);
    return {
      instance: instance.parent.pid,
      group: view.name,
      up: members.length,
      configured: view.config?.processes ?? null,
      cpuPercent:
        members.length === 0
          ? 0
          : (() => {
              const total = sumOrNull(cpuValues);
              return total === null ? null : roundPercent(total);
            })(),
      rssBytes: sumOrNull(members.map((member) => member.rssBytes)),
      inFlight: sumOrNull(members.map((member) => member.inFlight)),
      restarts: restartsUnknown === null ? restarts.length : null,
      restartsSince: new Date(sinceMs).toISOString(),
      restartsUnknown,
      reasons,
      lastRestart: last
        ? { pid: last.pid, reason: last.reason, at: new Date(last.atMs).toISOString(), status: last.status }
        : null,
      members,
    };
  };

  return {
    async sample() {
      const found = await discoverApache(source, {
        instance: options.instance,
        ...(options.self === undefined ? {} : { self: options.self }),
      });
      const atMs = now();
      if (options.instance !== undefined && !found.instances.some((i) => i.parent.pid === options.instance)) {
        throw new WsgictlError(
          'NO_PROCESSES',
          `no trusted Apache instance has parent pid ${options.instance}: see \`wsgictl ps\` for the instances there are`,
        );
      }
      if (discovery === null) assertGroupsExist(daemonGroupsOf(found.instances), options.groups);
      discovery = found;
      const seen = new Map<string, CpuReading>();
      const groups: TopGroup[] = [];
      for (const instance of found.instances) {
        watchOf(instance).refresh(atMs - windowMs - REASON_SLACK_MS);
        const views = instance.groups.filter(
          (view) => options.groups.length === 0 || options.groups.includes(view.name),
        );
        // mod_wsgi forks its daemons from the parent: one network namespace, one unix socket table to read.
        const sockets =
          views.length > 0 && source.unixSocketStates
            ? await source.unixSocketStates(instance.parent.pid)
            : null;
        for (const view of views) {
          groups.push(await readGroup(instance, view, atMs, seen, sockets));
        }
      }
      const first = previousMs === null;
      const window = previousMs === null ? null : atMs - previousMs;
      previousMs = atMs;
      cpu.clear();
      for (const [key, reading] of seen) cpu.set(key, reading);
      const notes: string[] = [];
      if (groups.some((group) => group.members.some((member) => member.inFlight === null)))
        notes.push(NEEDS_ROOT_NOTE);
      return {
        at: new Date(atMs).toISOString(),
        cpuWindow: first ? 'lifetime' : 'interval',
        windowMs: window,
        restartsSince: new Date(atMs - windowMs).toISOString(),
        groups,
        notes,
      };
    },
    lastDiscovery: () => discovery,
    close() {
      for (const watch of watches.values()) watch.close();
      watches.clear();
    },
  };
}
