import { OVERFLOW } from './batch.js';
import type { PathFilter } from './filter.js';
import { DEFAULT_POLL_MS, startPolling } from './poll.js';

export interface WatcherOptions {
  roots: string[];
  /** Globs/paths @parcel/watcher skips entirely. */
  nativeIgnore: Array<string | RegExp>;
  filter: PathFilter;
  dirFilter: PathFilter;
  /** Poll every this many ms instead of native events (`--poll`). */
  pollMs?: number;
  /** Unfiltered absolute paths (or OVERFLOW). */
  onChanges: (paths: string[]) => void;
  /** Reported, never fatal. */
  onError: (error: Error) => void;
}

export interface Watcher {
  /** 'poll' also after falling back from native. */
  readonly mode: () => 'native' | 'poll';
  close: () => Promise<void>;
}

type ParcelWatcher = typeof import('@parcel/watcher');

/** The native watcher ran out of inotify watches (or instances). */
export function isWatchLimitError(error: unknown): boolean {
  const message = String((error as Error | undefined)?.message ?? error);
  return /ENOSPC|No space left on device|EMFILE|Too many open files/i.test(message);
}

/**
 * The native addon could not be loaded: the standalone executable leaves it out (docs/dist.md says why), or
 * an install skipped the optional prebuilt package of this platform.
 */
export function describeNoNativeWatcher(error: unknown): string {
  const reason = String((error as Error | undefined)?.message ?? error).split('\n')[0];
  return `no native file watcher here (${reason}): polling every ${DEFAULT_POLL_MS / 1000} s instead (--poll INTERVAL, e.g. --poll 500ms, sets another)`;
}

export function describeWatchLimit(error: Error): string {
  return `the native watcher ran out of inotify watches (${error.message}): falling back to polling; raise fs.inotify.max_user_watches (sysctl fs.inotify.max_user_watches=524288) or watch fewer files`;
}

async function subscribeAll(
  parcel: ParcelWatcher,
  options: WatcherOptions,
  onLimit: (error: Error) => void,
): Promise<Array<{ unsubscribe: () => Promise<void> }>> {
  const subscriptions: Array<{ unsubscribe: () => Promise<void> }> = [];
  try {
    for (const root of options.roots) {
      subscriptions.push(
        await parcel.subscribe(
          root,
          (error, events) => {
            if (error) {
              if (isWatchLimitError(error)) onLimit(error);
              else if (/overflow/i.test(error.message)) options.onChanges([OVERFLOW]);
              else options.onError(error);
              return;
            }
            options.onChanges(events.map((event) => event.path));
          },
          { ignore: options.nativeIgnore },
        ),
      );
    }
  } catch (error) {
    await Promise.allSettled(subscriptions.map((subscription) => subscription.unsubscribe()));
    throw error;
  }
  return subscriptions;
}

/**
 * Native events from @parcel/watcher (inotify, FSEvents, ReadDirectoryChangesW), or polling with
 * `pollMs`; when the native watcher runs out of watches it says so and polls instead.
 */
export async function startWatcher(
  options: WatcherOptions,
  loadParcel: () => Promise<ParcelWatcher> = () => import('@parcel/watcher'),
): Promise<Watcher> {
  let mode: 'native' | 'poll' = options.pollMs === undefined ? 'native' : 'poll';
  let closeCurrent: (() => Promise<void>) | undefined;
  let switching: Promise<void> | undefined;
  let closed = false;
  /** A limit error that arrived while later roots were still being subscribed: handled once they are. */
  let limitWhileStarting: Error | undefined;
  const poll = async (intervalMs: number): Promise<void> => {
    mode = 'poll';
    const poller = await startPolling({ ...options, intervalMs });
    closeCurrent = poller.close;
  };
  const fallBack = (error: Error): void => {
    if (mode === 'poll' || switching || closed) return;
    if (!closeCurrent) {
      limitWhileStarting ??= error;
      return;
    }
    options.onError(new Error(describeWatchLimit(error)));
    const old = closeCurrent;
    switching = (async () => {
      await old().catch(() => {});
      // A watcher closed meanwhile must not come back to life as a poller.
      if (closed) return;
      await poll(DEFAULT_POLL_MS);
      options.onChanges([OVERFLOW]); // events may have been lost on the way
    })();
  };
  if (options.pollMs !== undefined) await poll(options.pollMs);
  else {
    const parcel = await loadParcel().catch((error: unknown) => {
      // Said once, as a warning: watching works, only more slowly.
      options.onError(
        Object.assign(new Error(describeNoNativeWatcher(error)), {
          code: 'NO_NATIVE_WATCHER',
          warning: true,
        }),
      );
      return undefined;
    });
    if (!parcel) await poll(DEFAULT_POLL_MS);
    else
      try {
        const subscriptions = await subscribeAll(parcel, options, fallBack);
        closeCurrent = async () => {
          await Promise.allSettled(subscriptions.map((subscription) => subscription.unsubscribe()));
        };
      } catch (error) {
        if (!isWatchLimitError(error)) throw error;
        options.onError(new Error(describeWatchLimit(error as Error)));
        await poll(DEFAULT_POLL_MS);
      }
    if (limitWhileStarting) {
      fallBack(limitWhileStarting);
      await switching;
    }
  }
  return {
    mode: () => mode,
    async close() {
      closed = true;
      await switching;
      await closeCurrent?.();
    },
  };
}
