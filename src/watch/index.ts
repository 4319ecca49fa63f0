export { createExecAction, createGroupAction, createTouchAction, type GroupReloader } from './actions.js';
export { createBatcher, OVERFLOW, realTimer } from './batch.js';
export { createDirFilter, createFilter, nativeIgnorePaths, parseExtensions } from './filter.js';
export { DEFAULT_DEBOUNCE_MS, runWatchLoop, type WatchEvent } from './loop.js';
export { DEFAULT_POLL_MS } from './poll.js';
export { createSupervisor } from './supervisor.js';
export { startWatcher } from './watcher.js';
