export {
  type Attempt,
  type AttemptOutcome,
  buildEventScript,
  classifyEventResult,
  powershellArgs,
  setRestartEvent,
} from './event.js';
export { createExecutor, type Executor, type RunResult } from './exec.js';
export {
  collapseServiceName,
  DEFAULT_SERVICE_NAME,
  restartEventName,
  validatePid,
  validateServiceName,
} from './names.js';
export {
  type RestartDeps,
  type RestartTarget,
  restartWindowsApache,
  type WindowsRestartResult,
} from './restart.js';
export {
  classifyHttpdRestart,
  classifyNet,
  findServiceByPid,
  mapServicePids,
  parseBinaryPath,
  parseScQc,
  parseScQcBinary,
  parseScQueryex,
  type ServiceStatus,
} from './service.js';
export { chooseInstance, findWindowsInstances, readPidfile, type WindowsInstance } from './target.js';
export { type Confirmation, type ListProcesses, waitForNewChild } from './wait-child.js';
