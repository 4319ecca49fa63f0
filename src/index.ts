export { type ApacheConfig, type DaemonGroupConfig, parseApacheCommandLine } from './apache/config/model.js';
export { loadApacheConfig } from './apache/config/reader.js';
export { parseDuration } from './duration.js';
export { findGroupLogPlace, followGroupLogs, type GroupLogSession, openGroupLogs } from './errorlog/group.js';
export type { ErrorLogReport } from './errorlog/group-errors.js';
export { type LogLine, parseLogLine } from './errorlog/parse.js';
export { EXIT, WsgictlError } from './errors.js';
export { ConfigTestFailedError, gracefulRestart } from './graceful/graceful.js';
export type { GracefulGroup, GracefulRequest, GracefulResult } from './graceful/types.js';
export { type Discovery, discoverApache, discoverInstances, type OrphanDaemon } from './groups/discover.js';
export {
  displayedName,
  identifyChild,
  type Member,
  matchDisplayName,
  type Role,
  type Via,
} from './groups/identify.js';
export type { ApacheInstance, GroupView } from './groups/instance.js';
export type { Doubt } from './groups/verify.js';
export { type CheckOptions, DEFAULT_CHECK_TIMEOUT_MS } from './health/check.js';
export { type CheckTarget, planGroupCheck, planUrlCheck } from './health/targets.js';
export type { CheckReport, HealthCheck } from './health/types.js';
export { createPlatform, type Platform } from './platform.js';
export { PreflightError, type PreflightReport, preflightGroup } from './preflight/index.js';
export { isApacheComm } from './processes/apache-names.js';
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
export {
  APP_SIGNALS,
  type AppSignal,
  assertRestartSignal,
  parseAppSignal,
  RESTART_SIGNALS,
  type RestartSignal,
} from './reload/signals.js';
export type { WindowsReloadRequest } from './reload/types.js';
export { signalGroup } from './signal/signal.js';
export type { GroupSignalResult, SignalMember, SignalRequest } from './signal/types.js';
export { createTopSampler, type TopOptions, type TopSampler } from './top/sampler.js';
export type { TopGroup, TopMember, TopSnapshot } from './top/types.js';
export { createFilter, runWatchLoop, startWatcher, type WatchEvent } from './watch/index.js';
export { type RestartTarget, restartWindowsApache, type WindowsRestartResult } from './windows/index.js';
