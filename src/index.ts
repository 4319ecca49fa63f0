export { type ApacheConfig, type DaemonGroupConfig, parseApacheCommandLine } from './apache/config.js';
export {
  type ApacheInstance,
  type Discovery,
  discoverApache,
  discoverInstances,
  type GroupView,
  isApacheComm,
  type OrphanDaemon,
} from './apache/discover.js';
export {
  displayedName,
  identifyChild,
  type Member,
  matchDisplayName,
  type Role,
  type Via,
} from './apache/identify.js';
export { type CheckTarget, planGroupCheck, planUrlCheck } from './apache/mounts.js';
export { loadApacheConfig } from './apache/reader.js';
export type { Doubt } from './apache/verify.js';
export { parseDuration } from './duration.js';
export { EXIT, WsgictlError } from './errors.js';
export { type CheckOptions, DEFAULT_CHECK_TIMEOUT_MS } from './health/check.js';
export type { CheckReport, ErrorLogReport, HealthCheck } from './health/types.js';
export { findGroupLogPlace, followGroupLogs, type GroupLogSession, openGroupLogs } from './logs/group.js';
export { type LogLine, parseLogLine } from './logs/parse.js';
export { createPlatform, type Platform } from './platform.js';
export { createProcessSource, type ProcessInfo, type ProcessSource } from './processes/index.js';
export {
  DEFAULT_TIMEOUT_MS,
  type GroupReloadResult,
  type MemberReport,
  PartialReloadError,
  parseSignal,
  type ReloadEvent,
  type Reloader,
  type ReloadRequest,
  reloadGroups,
  touchScript,
} from './reload/index.js';
export { assertRestartSignal, RESTART_SIGNALS, type RestartSignal } from './reload/signals.js';
export { createFilter, runWatchLoop, startWatcher, type WatchEvent } from './watch/index.js';
export { type RestartTarget, restartWindowsApache, type WindowsRestartResult } from './windows/index.js';
