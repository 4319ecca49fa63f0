import type { Timer } from '../../src/watch/batch.js';

export interface ManualTimer extends Timer {
  /** Moves the clock; fires every timer that fell due, then lets the work they started settle. */
  advance: (ms: number) => Promise<void>;
  /** How many timers are armed now. */
  armed: () => number;
}

/** Lets every promise chain that is ready run to its next real wait (a timer, I/O, an unresolved promise). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A debounce clock the test moves by hand: nothing fires until `advance` says so. */
export function manualTimer(): ManualTimer {
  let now = 0;
  let next = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    set(callback, ms) {
      const id = next++;
      timers.set(id, { at: now + ms, callback });
      return id;
    },
    clear(handle) {
      timers.delete(handle as number);
    },
    armed: () => timers.size,
    async advance(ms) {
      now += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at <= now) {
          timers.delete(id);
          timer.callback();
        }
      }
      await settle();
    },
  };
}
