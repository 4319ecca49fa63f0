export { parseDuration } from '../duration.js';
export { PartialReloadError, type PlanFailure } from './partial.js';
export { DEFAULT_TIMEOUT_MS, type ReloadDeps, reloadGroups } from './reload.js';
export { createUnixReloader, type Reloader } from './reloader.js';
export { chooseSignal, parseSignal, parseTimeout, RESTART_SIGNALS } from './signals.js';
export { touchScript } from './touch.js';
export type {
  GroupReloadResult,
  MemberReport,
  MemberState,
  ReloadEvent,
  ReloadOutcome,
  ReloadRequest,
  RestartReport,
} from './types.js';
