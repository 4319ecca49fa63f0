import { closeSync, existsSync, lstatSync, opendirSync, readFileSync, type Stats, statSync } from 'node:fs';
import { isAbsolute, posix } from 'node:path';
import { resolveMountGroup } from '../apache/config/mount-group.js';
import { describeError } from '../errors.js';
import { openRegular, readRange } from '../files/safe-files.js';
import type { ApacheInstance } from '../groups/instance.js';
import type { ProcessInfo } from '../processes/types.js';
import { type CompileOptions, type CompileRun, compileFiles } from './compile.js';
import { type ImportOptions, type ImportResult, importScript } from './import.js';
import { inspectPython } from './inspect.js';
import { choosePython, findLibpythonVersion } from './python.js';
import { type EntryFacts, MAX_WALK_ENTRIES, type SourceFs, selectSources } from './sources.js';
import { judgePython, type PythonFacts } from './trust.js';
import { type PreflightReport, toFailure, toImportFailure } from './types.js';

/** A mod_wsgi module bigger than this is not read for its libpython (the real one is under 2 MiB). */
export const MODULE_MAX_BYTES = 64 << 20;
/**
 * A file saved this long before the oldest daemon's start still counts as changed: a process's start time
 * is known to a clock tick and the boot time it is counted from, not to the millisecond.
 */
export const START_SLACK_MS = 1_000;

/** One group of one instance, and the daemons the reload would replace (a GroupPlan). */
export interface PreflightTarget {
  instance: ApacheInstance;
  group: string;
  targets: ProcessInfo[];
}

/** The outside world of a pre-flight; tests hand in their own. */
export interface PreflightDeps {
  fs: SourceFs;
  /** The loaded mod_wsgi's bytes, or null when unreadable. */
  readModule(path: string): Buffer | null;
  exists(path: string): boolean;
  inspect(path: string, libpython: string | null): PythonFacts;
  compile(options: CompileOptions): Promise<CompileRun>;
  /** With `--preflight import`: imports one WSGI script (its code runs), see importScript. */
  importScript(options: ImportOptions): Promise<ImportResult>;
  /** Our effective uid: as root the compiler runs as the group's user, else as ourselves. */
  euid: number | null;
  /** The effective gid of a daemon, or null when it cannot be read. */
  gidOf(pid: number): number | null;
  platform: NodeJS.Platform;
}

function entryOf(stat: Stats): EntryFacts {
  return {
    isDirectory: stat.isDirectory(),
    isFile: stat.isFile(),
    isLink: stat.isSymbolicLink(),
    mtimeMs: stat.mtimeMs,
    id: `${stat.dev}:${stat.ino}`,
  };
}

function attempt<T>(read: () => T): T | null {
  try {
    return read();
  } catch {
    return null;
  }
}

function readModuleBytes(path: string): Buffer | null {
  return attempt(() => {
    const { fd, size } = openRegular('', path);
    try {
      return size > MODULE_MAX_BYTES ? null : readRange(fd, 0, size);
    } finally {
      closeSync(fd);
    }
  });
}

/**
 * The names in a folder a user may control, read entry by entry: a folder of millions of names costs no
 * more than the walk's own bound (one past it, so that the walk sees it was hit).
 */
function listBounded(path: string): string[] {
  const dir = opendirSync(path);
  const names: string[] = [];
  try {
    for (
      let entry = dir.readSync();
      entry !== null && names.length <= MAX_WALK_ENTRIES;
      entry = dir.readSync()
    )
      names.push(entry.name);
  } finally {
    dir.closeSync();
  }
  return names;
}

/** The `Gid:` line of /proc/PID/status: its effective gid. */
export function parseStatusGid(status: string): number | null {
  const match = /^Gid:\s+\d+\s+(\d+)/m.exec(status);
  return match ? Number(match[1]) : null;
}

/** This machine, as a pre-flight sees it. */
export function hostPreflightDeps(procRoot = '/proc'): PreflightDeps {
  return {
    fs: {
      stat: (path) => attempt(() => entryOf(statSync(path))),
      lstat: (path) => attempt(() => entryOf(lstatSync(path))),
      list: (path) => attempt(() => listBounded(path)),
      now: Date.now,
    },
    readModule: readModuleBytes,
    exists: existsSync,
    inspect: inspectPython,
    compile: compileFiles,
    importScript,
    euid: process.geteuid?.() ?? null,
    gidOf: (pid) => attempt(() => parseStatusGid(readFileSync(`${procRoot}/${pid}/status`, 'utf8'))),
    platform: process.platform,
  };
}

/** The scripts mounted for the group, and the folders its code is imported from. */
export function findGroupRoots(instance: ApacheInstance, group: string) {
  const sites = instance.config.sites;
  const notes: string[] = [];
  const scripts: string[] = [];
  for (const mount of sites?.mounts ?? []) {
    if (resolveMountGroup(sites as NonNullable<typeof sites>, mount) !== group) continue;
    // A WSGIScriptAliasMatch script with $1 is a different file per request: none of them is known.
    if (mount.script.includes('$')) notes.push(`${mount.script} is chosen per request; not checked`);
    else scripts.push(mount.script);
  }
  // A WSGIImportScript is loaded into each of the group's daemons as it starts: as much the group's code.
  for (const entry of sites?.imports ?? []) {
    if (entry.processGroup === group && !entry.script.includes('$')) scripts.push(entry.script);
  }
  const config = instance.config.groups.find((each) => each.name === group);
  const folders: string[] = [];
  for (const entry of [...(config?.pythonPath ?? []), ...(config?.home ? [config.home] : [])]) {
    if (isAbsolute(entry)) folders.push(entry);
    else notes.push(`${entry} is a relative path; not checked`);
  }
  folders.push(...scripts.map((script) => posix.dirname(script)));
  return { scripts: [...new Set(scripts)], folders: [...new Set(folders)], notes, config };
}

function oldestStart(targets: ProcessInfo[]): number | null {
  const starts = targets.map((target) => target.startedAt.getTime()).filter(Number.isFinite);
  return starts.length === 0 ? null : Math.min(...starts);
}

/**
 * Compiles what a reload of the group would load, before any signal: the WSGI scripts of its mounts and the
 * `.py` files changed since its oldest daemon started, with the Python mod_wsgi runs for it, as its user.
 * Never throws for a group's code: a file that does not compile is a `failed` report, an interpreter that
 * may not be run (see judgePython) a `refused` one.
 */
export async function preflightGroup(
  target: PreflightTarget,
  deps: PreflightDeps = hostPreflightDeps(),
  mode: 'compile' | 'import' = 'compile',
): Promise<PreflightReport> {
  const started = Date.now();
  const report: PreflightReport = {
    instance: target.instance.parent.pid,
    group: target.group,
    status: 'skipped',
    files: [],
    failures: [],
    notes: [],
    seen: 0,
    since: null,
    ms: 0,
  };
  const done = (status: PreflightReport['status'], reason?: string): PreflightReport => ({
    ...report,
    status,
    ...(reason === undefined ? {} : { reason }),
    ms: Date.now() - started,
  });
  if (deps.platform !== 'linux') return done('skipped', 'the pre-flight runs on Linux only');
  if (target.instance.fileRoot !== '') {
    return done('skipped', 'Apache runs in a container: its Python is not one wsgictl may run');
  }
  const roots = findGroupRoots(target.instance, target.group);
  report.notes.push(...roots.notes);
  const since = oldestStart(target.targets);
  report.since = since === null ? null : new Date(since).toISOString();
  const walkStarted = Date.now();
  const selection = selectSources(deps.fs, roots, (since ?? Date.now()) - START_SLACK_MS);
  report.walkMs = Date.now() - walkStarted;
  report.notes.push(...selection.notes);
  report.seen = selection.seen;
  if (selection.files.length === 0) return done('passed');

  const module = target.instance.config.wsgiModule;
  const bytes = module ? deps.readModule(module) : null;
  const libpython = bytes === null ? null : findLibpythonVersion(bytes);
  const choice = choosePython({
    groupHome: roots.config?.pythonHome ?? null,
    serverHome: target.instance.config.pythonHome ?? null,
    libpython,
  });
  const path = choice.candidates.find((candidate) => deps.exists(candidate));
  if (path === undefined)
    return done('refused', `no Python at ${choice.candidates.join(' or ')} (${choice.why})`);
  const facts = deps.inspect(path, libpython);
  const distrust = judgePython(facts);
  if (distrust !== null) return done('refused', `${path} (${choice.why}) is not run as root: ${distrust}`);
  const real = facts.real as string;
  // As root the compiler becomes the group's user: it reads only what the daemons could read.
  const first = target.targets[0];
  let identity: { uid?: number; gid?: number } = {};
  if (deps.euid === 0 && first) {
    const gid = deps.gidOf(first.pid);
    if (gid === null) return done('refused', `the group id of pid ${first.pid} cannot be read`);
    identity = { uid: first.uid, gid };
  }
  let run: CompileRun;
  const compileStarted = Date.now();
  try {
    run = await deps.compile({ python: real, files: selection.files, ...identity });
  } catch (error) {
    return done('refused', `${real} could not compile the files: ${describeError(error)}`);
  }
  report.compileMs = Date.now() - compileStarted;
  report.python = { path: real, version: run.version, why: choice.why };
  if (libpython !== null && !run.version.startsWith(`${libpython}.`)) {
    report.notes.push(`${real} is Python ${run.version}, but mod_wsgi links libpython${libpython}`);
  }
  for (const result of run.results) {
    if (result.status === 'ok') report.files.push(result.path);
    else if (result.status === 'error') {
      report.files.push(result.path);
      report.failures.push(toFailure(result));
    } else if (result.status === 'unreadable') {
      report.notes.push(`${result.path} cannot be read as the group's user (${result.message}); not checked`);
    } else if (result.status === 'too-big')
      report.notes.push(`${result.path} is too big to check; not checked`);
    else report.notes.push(`the files' size bound was reached at ${result.path}; the rest was not checked`);
  }
  if (report.failures.length > 0 || mode !== 'import')
    return done(report.failures.length > 0 ? 'failed' : 'passed');
  // `--preflight import`: each script imported as mod_wsgi would load it (its code runs), once it compiles.
  const importStarted = Date.now();
  report.imported = [];
  for (const script of roots.scripts) {
    try {
      const result = await deps.importScript({
        python: real,
        script,
        pythonPath: roots.config?.pythonPath ?? [],
        home: roots.config?.home ?? null,
        ...identity,
      });
      report.imported.push(script);
      if (result.status === 'error') report.failures.push(toImportFailure(result));
    } catch (error) {
      const message = describeError(error);
      // A script that hangs at import would hang its daemon too: that is the app's failure, not ours.
      if (!/took longer than/.test(message))
        return done('refused', `${real} could not import ${script}: ${message}`);
      report.imported.push(script);
      report.failures.push({
        path: script,
        type: 'Timeout',
        message,
        line: null,
        offset: null,
        text: null,
        traceback: [],
      });
    }
  }
  report.importMs = Date.now() - importStarted;
  return done(report.failures.length > 0 ? 'failed' : 'passed');
}
