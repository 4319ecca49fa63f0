import type { Action, ActionReport } from './actions.js';
import { createBatcher, OVERFLOW, type Timer } from './batch.js';
import { type CheckEvent, createCheckSplitter } from './check-events.js';
import type { PathFilter } from './filter.js';
import type { Watcher, WatcherOptions } from './watcher.js';

/** Quiet time before a batch runs: a multi-file save or a `git checkout` lands well within it. */
export const DEFAULT_DEBOUNCE_MS = 200;

/** What `wsgictl watch --json` prints, one object a line. */
export type WatchEvent =
  | {
      event: 'ready';
      paths: string[];
      mode: 'native' | 'poll';
      actions: string[];
      debounceMs: number;
      ms: number;
    }
  | { event: 'change'; files: string[]; count: number }
  | ({ event: 'reload'; files: string[] } & ActionReport)
  /** `waiting`: a group not running yet, the reload follows; `warning`: nothing failed, worth a look. */
  | { event: 'error'; message: string; code?: string; waiting?: boolean; warning?: boolean }
  | CheckEvent;

export interface LoopOptions {
  roots: string[];
  nativeIgnore: Array<string | RegExp>;
  filter: PathFilter;
  dirFilter: PathFilter;
  debounceMs: number;
  pollMs?: number;
  actions: Action[];
}

export interface LoopDeps {
  emit: (event: WatchEvent) => void;
  /** Resolves when watching should end; the value is handed back. */
  stop: Promise<'SIGINT' | 'SIGTERM'>;
  startWatcher: (options: WatcherOptions) => Promise<Watcher>;
  timer: Timer;
  now?: () => number;
}

function describeError(error: unknown): { message: string; code?: string; warning?: boolean } {
  const { code, warning } = (error ?? {}) as { code?: unknown; warning?: unknown };
  return {
    message: (error as Error | undefined)?.message ?? String(error),
    ...(typeof code === 'string' ? { code } : {}),
    ...(warning === true ? { warning: true } : {}),
  };
}

/**
 * watcher -> filter -> batch -> actions, until `stop` resolves. A failed action is reported and watching
 * goes on. On stop: no new batch starts, the batch in flight finishes (a group reload is never left half
 * done), a group still awaited stops being waited for, and the command tree of --exec is stopped.
 */
export async function runWatchLoop(options: LoopOptions, deps: LoopDeps): Promise<'SIGINT' | 'SIGTERM'> {
  const now = deps.now ?? Date.now;
  const started = now();
  const abort = new AbortController();
  const splitCheck = createCheckSplitter();
  const batcher = createBatcher({
    debounceMs: options.debounceMs,
    timer: deps.timer,
    onRunError: (error) => deps.emit({ event: 'error', ...describeError(error) }),
    run: async (files) => {
      // Every file, as the reload events that follow list them: a consumer of --json sees one list; the
      // human line is kept short where it is drawn (render-watch.ts).
      deps.emit({ event: 'change', files, count: files.length });
      for (const action of options.actions) {
        if (abort.signal.aborted) return;
        try {
          for (const done of await action.run(abort.signal)) {
            const { report, check } = splitCheck(done);
            deps.emit({ event: 'reload', files, ...report });
            if (check) deps.emit(check);
          }
        } catch (error) {
          deps.emit({ event: 'error', ...describeError(error) });
        }
      }
    },
  });
  const watcher = await deps.startWatcher({
    roots: options.roots,
    nativeIgnore: options.nativeIgnore,
    filter: options.filter,
    dirFilter: options.dirFilter,
    pollMs: options.pollMs,
    onChanges: (paths) => {
      const counted = paths.filter((path) => path === OVERFLOW || options.filter(path));
      if (counted.length > 0) batcher.push(counted);
    },
    onError: (error) => deps.emit({ event: 'error', ...describeError(error) }),
  });
  try {
    for (const action of options.actions) await action.start();
    deps.emit({
      event: 'ready',
      paths: options.roots,
      mode: watcher.mode(),
      actions: options.actions.map((action) => action.name),
      debounceMs: options.debounceMs,
      ms: now() - started,
    });
    return await deps.stop;
  } finally {
    abort.abort();
    await watcher.close();
    await batcher.stop();
    await Promise.allSettled(options.actions.map((action) => action.stop()));
  }
}
