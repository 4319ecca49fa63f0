/** Time, injected so tests run without waiting: the one clock every waiting loop asks. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** The real clock: wall-clock milliseconds and a timer. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Waits `ms`, or less when `stop` resolves first: then true (and the timer is cleared either way). */
export function sleepUnless(ms: number, stop: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
    stop.then(() => true),
  ]).finally(() => clearTimeout(timer));
}
