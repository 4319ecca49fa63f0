export { COMPILE_PROGRAM, type CompileResult, type CompileRun, compileFiles } from './compile.js';
export { PreflightError } from './error.js';
export { hostPreflightDeps, type PreflightDeps, type PreflightTarget, preflightGroup } from './preflight.js';
export { choosePython, findLibpythonVersion } from './python.js';
export { findReport, preflightPlans } from './run.js';
export { selectSources } from './sources.js';
export { judgePython } from './trust.js';
export type { PreflightFailure, PreflightReport } from './types.js';
