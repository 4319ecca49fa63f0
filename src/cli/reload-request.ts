import { usageError } from '../errors.js';
import { assertKillAfter, parseKillAfter } from '../reload/escalate.js';
import { DEFAULT_TIMEOUT_MS } from '../reload/reload.js';
import { chooseSignal, parseTimeout } from '../reload/signals.js';
import type { WindowsReloadRequest } from '../reload/types.js';
import { type CheckFlags, toCheckOptions } from './check-options.js';

/** The options of `reload` (and those `watch --group` shares with it) that shape a reload request. */
export interface ReloadFlags extends CheckFlags {
  graceful?: boolean;
  signal?: string;
  rolling?: boolean;
  timeout?: string;
  killAfter?: string;
  /** `--no-wait`; undefined where the command has no such option (watch always waits). */
  wait?: boolean;
  dryRun?: boolean;
  instance?: number;
  all?: boolean;
  touch?: string;
  url?: string;
  service?: string;
  pidfile?: string;
  allowStopStart?: boolean;
  trustConfig?: boolean;
  /** False with `--no-preflight`; `--preflight MODE` as typed (compile, import). */
  preflight?: boolean | string;
  /** `--canary N`, as typed. */
  canary?: string;
}

/** `--canary N`: a whole number of processes, at least 1; it needs the wait that proves them. */
function parseCanary(value: string, wait: boolean | undefined): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw usageError(`--canary "${value}" is not a number of processes: give a whole number, 1 or more`);
  if (wait === false) throw usageError('--canary proves each replacement, so it waits: leave out --no-wait');
  return Number(value);
}

/** Checks the options' combinations and builds the request, so that a handler reads like its help text. */
export function toReloadRequest(groups: string[], options: ReloadFlags): WindowsReloadRequest {
  if (groups.length === 0 && !options.all)
    throw usageError('name a group to reload (see `wsgictl ps`), or pass --all');
  if (typeof options.preflight === 'string' && !['compile', 'import'].includes(options.preflight))
    throw usageError(
      `--preflight "${options.preflight}" is not a mode: give compile (the default) or import`,
    );
  if (options.url !== undefined && options.touch === undefined)
    throw usageError('--url goes with --touch SCRIPT');
  if (options.url !== undefined && !/^https?:\/\//.test(options.url)) {
    throw usageError(`--url "${options.url}" is not an http(s) URL`);
  }
  // Where there is a --no-wait, a timeout of zero most likely meant it.
  const instead = options.wait === undefined ? '' : ', or --no-wait to send the signals and return at once';
  // The Windows options ride along; every other platform refuses them (reload/platform-options.ts).
  const request: WindowsReloadRequest = {
    groups,
    all: options.all,
    // Only a signal the user asked for: a platform that cannot send one (Windows restarts the whole
    // Apache) refuses it.
    signal: options.graceful || options.signal !== undefined ? chooseSignal(options) : undefined,
    rolling: options.rolling,
    timeoutMs: options.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseTimeout(options.timeout, instead),
    killAfterMs: options.killAfter === undefined ? undefined : parseKillAfter(options.killAfter),
    wait: options.wait,
    instance: options.instance,
    dryRun: options.dryRun,
    trustConfig: options.trustConfig,
    touch: options.touch,
    url: options.url,
    service: options.service,
    pidfile: options.pidfile,
    allowStopStart: options.allowStopStart,
    check: toCheckOptions(options),
    ...(options.canary === undefined ? {} : { canary: parseCanary(options.canary, options.wait) }),
    // Only --no-preflight and import are written down: the core's default is to compile.
    ...(options.preflight === false ? { preflight: false } : {}),
    ...(options.preflight === 'import' ? { preflight: 'import' as const } : {}),
  };
  // Here too, so that a fleet run refuses before it reaches any host.
  assertKillAfter(request, request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  return request;
}
