export { DEFAULT_TIMEOUT_MS, type ReloadDeps, reloadGroups } from './reload.js';
export { chooseSignal, parseDuration, parseSignal, parseTimeout, RESTART_SIGNALS } from './signals.js';
export { touchScript } from './touch.js';
export type {
  GroupReloadResult,
  MemberReport,
  MemberState,
  ReloadEvent,
  ReloadOutcome,
  ReloadRequest,
} from './types.js';
