/** A change the watcher could not itemise (queue overflow, a poll that restarted): "something changed". */
export const OVERFLOW = '*';

/** The timer the batcher uses; tests hand in a manual one. */
export interface Timer {
  set: (callback: () => void, ms: number) => unknown;
  clear: (handle: unknown) => void;
}

export const realTimer: Timer = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface BatcherOptions {
  debounceMs: number;
  timer: Timer;
  /** Runs one batch (the changed paths, in arrival order, without duplicates). Never called twice at once. */
  run: (paths: string[]) => Promise<void>;
  /** A run that threw: reported by the caller, and batching goes on. */
  onRunError: (error: unknown) => void;
}

export interface Batcher {
  /** Adds changed paths; the run starts once nothing more arrived for `debounceMs`. */
  push: (paths: readonly string[]) => void;
  /** Stops starting runs; resolves when the run in flight (if any) has finished. */
  stop: () => Promise<void>;
}

/**
 * Debounce, then run; while a run is in flight, new changes collect, and exactly one more run follows it
 * (after the debounce window, if changes are still arriving).
 */
export function createBatcher(options: BatcherOptions): Batcher {
  let pending = new Set<string>();
  let timer: unknown;
  let timerArmed = false;
  let dueWhileRunning = false;
  let inFlight: Promise<void> | undefined;
  let stopped = false;

  const startRun = (): void => {
    const paths = [...pending];
    pending = new Set();
    inFlight = (async () => {
      try {
        await options.run(paths);
      } catch (error) {
        options.onRunError(error);
      }
    })().then(() => {
      inFlight = undefined;
      if (stopped) return;
      if (dueWhileRunning && pending.size > 0) {
        dueWhileRunning = false;
        startRun();
      }
    });
  };

  const onQuiet = (): void => {
    timerArmed = false;
    if (stopped || pending.size === 0) return;
    if (inFlight) dueWhileRunning = true;
    else startRun();
  };

  return {
    push(paths) {
      if (stopped || paths.length === 0) return;
      for (const path of paths) pending.add(path);
      if (timerArmed) options.timer.clear(timer);
      timer = options.timer.set(onQuiet, options.debounceMs);
      timerArmed = true;
    },
    async stop() {
      stopped = true;
      if (timerArmed) options.timer.clear(timer);
      timerArmed = false;
      while (inFlight) await inFlight;
    },
  };
}
