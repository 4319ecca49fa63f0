import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import type * as ParcelWatcher from '@parcel/watcher';
import { OVERFLOW } from '../../src/watch/batch.js';
import { createDirFilter, createFilter } from '../../src/watch/filter.js';
import {
  describeNoNativeWatcher,
  describeWatchLimit,
  isWatchLimitError,
  startWatcher,
  type Watcher,
  type WatcherOptions,
} from '../../src/watch/watcher.js';
import { waitFor } from '../helpers/apache.js';

type Parcel = typeof ParcelWatcher;

/** What @parcel/watcher's inotify backend throws when fs.inotify.max_user_watches is used up. */
const LIMIT_MESSAGE = "inotify_add_watch on '/srv/app/deep' failed: No space left on device";

/** A real temporary tree (its real path: FSEvents reports /private/var, not /var). */
function tree(t: TestContext): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'wsgictl-watcher-')));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'app'));
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, 'app/views.py'), 'x = 1\n');
  return root;
}

/** Starts a watcher on `roots` that records what it reports, and closes it after the test. */
async function watching(
  t: TestContext,
  roots: string[],
  extra: Partial<WatcherOptions> = {},
  loadParcel?: () => Promise<Parcel>,
) {
  const filterOptions = { roots, readGitignore: () => undefined };
  const changes: string[][] = [];
  const errors: Error[] = [];
  const watcher: Watcher = await startWatcher(
    {
      roots,
      nativeIgnore: [],
      filter: createFilter(filterOptions),
      dirFilter: createDirFilter(filterOptions),
      onChanges: (paths) => changes.push(paths),
      onError: (error) => errors.push(error),
      ...extra,
    },
    loadParcel,
  );
  t.after(() => watcher.close());
  return { watcher, changes, errors, seen: () => new Set(changes.flat()) };
}

/** A stand-in for @parcel/watcher that lets the test deliver errors and counts unsubscriptions. */
function fakeParcel(subscribeError?: (root: string) => Error | undefined) {
  const callbacks = new Map<string, ParcelWatcher.SubscribeCallback>();
  const unsubscribed: string[] = [];
  const parcel = {
    subscribe: async (root: string, callback: ParcelWatcher.SubscribeCallback) => {
      const error = subscribeError?.(root);
      if (error) throw error;
      callbacks.set(root, callback);
      return { unsubscribe: async () => void unsubscribed.push(root) };
    },
  } as unknown as Parcel;
  return {
    load: async () => parcel,
    unsubscribed,
    deliver: (root: string, error: Error | null, paths: string[] = []) => {
      const callback = callbacks.get(root);
      assert.ok(callback, `subscribed to ${root}`);
      callback(
        error,
        paths.map((path) => ({ path, type: 'update' as const })),
      );
    },
  };
}

const neverLoaded = async (): Promise<Parcel> => assert.fail('the native watcher must not be loaded');

describe('startWatcher: native events (@parcel/watcher on a real tree)', () => {
  it('reports new and changed files by absolute path, unfiltered', async (t) => {
    const root = tree(t);
    const w = await watching(t, [root]);
    assert.equal(w.watcher.mode(), 'native');
    writeFileSync(join(root, 'app/views.py'), 'x = 2\n');
    writeFileSync(join(root, 'app/urls.py'), 'urlpatterns = []\n');
    writeFileSync(join(root, 'app/logo.png'), 'png'); // the loop filters, not the watcher
    const wanted = ['app/views.py', 'app/urls.py', 'app/logo.png'].map((rel) => join(root, rel));
    await waitFor(`events for ${wanted.join(', ')}`, () => wanted.every((path) => w.seen().has(path)));
    assert.deepEqual(w.errors, []);
  });

  it('never reports a path under nativeIgnore', async (t) => {
    const root = tree(t);
    const w = await watching(t, [root], { nativeIgnore: [join(root, '.git')] });
    writeFileSync(join(root, '.git/index.py'), 'x');
    const sentinel = join(root, 'app/sentinel.py');
    writeFileSync(sentinel, 'y = 1\n'); // written after: once it is seen, the ignored one would have been
    await waitFor('the sentinel', () => w.seen().has(sentinel));
    assert.deepEqual(
      [...w.seen()].filter((path) => path.includes(`${root}/.git`) || path.includes(`${root}\\.git`)),
      [],
    );
  });

  it('after close it reports nothing more (a second watcher on the same tree sees the change)', async (t) => {
    const root = tree(t);
    const closed = await watching(t, [root]);
    const witness = await watching(t, [root]);
    await closed.watcher.close();
    const after = join(root, 'app/after.py');
    writeFileSync(after, 'z = 1\n');
    await waitFor('the witness to see the change', () => witness.seen().has(after));
    assert.equal(closed.seen().has(after), false);
  });
});

describe('startWatcher: --poll', () => {
  it('polls the tree instead of loading the native watcher, and reports only files the filter counts', async (t) => {
    const root = tree(t);
    const w = await watching(t, [root], { pollMs: 30 }, neverLoaded);
    assert.equal(w.watcher.mode(), 'poll');
    writeFileSync(join(root, 'app/logo.png'), 'png');
    writeFileSync(join(root, 'app/urls.py'), 'urlpatterns = []\n');
    await waitFor('the poll to see urls.py', () => w.seen().has(join(root, 'app/urls.py')));
    assert.equal(w.seen().has(join(root, 'app/logo.png')), false);
  });
});

describe('startWatcher: out of inotify watches', () => {
  it('at subscribe: says why and how to raise the limit, then polls the tree', async (t) => {
    const root = tree(t);
    const parcel = fakeParcel(() => new Error(LIMIT_MESSAGE));
    const w = await watching(t, [root], {}, parcel.load);
    assert.equal(w.watcher.mode(), 'poll');
    assert.equal(w.errors.length, 1);
    assert.match(
      w.errors[0]?.message ?? '',
      /ran out of inotify watches \(inotify_add_watch .* No space left on device\): falling back to polling; raise fs\.inotify\.max_user_watches \(sysctl fs\.inotify\.max_user_watches=524288\)/,
    );
    writeFileSync(join(root, 'app/urls.py'), 'urlpatterns = []\n');
    await waitFor('the poll to see urls.py', () => w.seen().has(join(root, 'app/urls.py')), 5000);
  });

  it('while running: says why once, lets the native watcher go, reports "something changed", then polls', async (t) => {
    const root = tree(t);
    const parcel = fakeParcel();
    const w = await watching(t, [root], {}, parcel.load);
    assert.equal(w.watcher.mode(), 'native');
    parcel.deliver(root, new Error(LIMIT_MESSAGE));
    parcel.deliver(root, new Error(LIMIT_MESSAGE)); // the same trouble again: said once
    await waitFor('the switch to polling', () => w.changes.some((paths) => paths.includes(OVERFLOW)));
    assert.equal(w.watcher.mode(), 'poll');
    assert.deepEqual(parcel.unsubscribed, [root]);
    assert.equal(w.errors.length, 1);
    assert.match(w.errors[0]?.message ?? '', /falling back to polling/);
    writeFileSync(join(root, 'app/urls.py'), 'urlpatterns = []\n');
    await waitFor('the poll to see urls.py', () => w.seen().has(join(root, 'app/urls.py')), 5000);
  });

  it('an overflowed event queue is reported as "something changed"; other errors are passed on', async (t) => {
    const root = tree(t);
    const parcel = fakeParcel();
    const w = await watching(t, [root], {}, parcel.load);
    parcel.deliver(root, new Error('Event queue overflow'));
    const other = new Error('read of the inotify descriptor failed');
    parcel.deliver(root, other);
    parcel.deliver(root, null, [join(root, 'app/views.py')]);
    assert.deepEqual(w.changes, [[OVERFLOW], [join(root, 'app/views.py')]]);
    assert.deepEqual(w.errors, [other]);
    assert.equal(w.watcher.mode(), 'native');
    assert.deepEqual(parcel.unsubscribed, []);
  });

  it('a subscribe error that is not the limit is thrown, and roots already subscribed are let go', async (t) => {
    const first = tree(t);
    const second = tree(t);
    const parcel = fakeParcel((root) =>
      root === second ? new Error(`EACCES: permission denied, scandir '${second}'`) : undefined,
    );
    await assert.rejects(watching(t, [first, second], {}, parcel.load), /EACCES/);
    assert.deepEqual(parcel.unsubscribed, [first]);
  });

  it('a limit error on one root while the next root is still being subscribed still falls back to polling', async (t) => {
    const first = tree(t);
    const second = tree(t);
    const parcel = fakeParcel((root) => {
      // the native side delivers root 1's error while root 2's initial crawl is still running
      if (root === second) parcel.deliver(first, new Error(LIMIT_MESSAGE));
      return undefined;
    });
    const w = await watching(t, [first, second], {}, parcel.load);
    await waitFor('the switch to polling', () => w.watcher.mode() === 'poll', 3000);
    await w.watcher.close();
    assert.deepEqual(parcel.unsubscribed.sort(), [first, second].sort());
  });
});

describe('startWatcher: no native addon (the standalone executable, a skipped optional package)', () => {
  it('says so once and polls the tree', async (t) => {
    const root = tree(t);
    const missing = async (): Promise<Parcel> => {
      throw new Error('the standalone executable has no native file watcher\nsecond line');
    };
    const w = await watching(t, [root], {}, missing);
    assert.equal(w.watcher.mode(), 'poll');
    assert.deepEqual(
      w.errors.map((error) => error.message),
      [describeNoNativeWatcher(new Error('the standalone executable has no native file watcher'))],
    );
    assert.match(
      w.errors[0]?.message ?? '',
      /^no native file watcher here \(.*\): polling every 1 s instead/,
    );
    const said = w.errors[0] ?? assert.fail('no notice');
    assert.deepEqual([Reflect.get(said, 'code'), Reflect.get(said, 'warning')], ['NO_NATIVE_WATCHER', true]);
    writeFileSync(join(root, 'app/urls.py'), 'urlpatterns = []\n');
    await waitFor('the poll to see urls.py', () => w.seen().has(join(root, 'app/urls.py')), 5000);
  });
});

describe('isWatchLimitError', () => {
  it('knows the inotify watch and instance limits, and nothing else', () => {
    for (const message of [
      LIMIT_MESSAGE,
      'ENOSPC: System limit for number of file watchers reached',
      'inotify_init1 failed: Too many open files',
      'EMFILE: too many open files, watch',
    ])
      assert.equal(isWatchLimitError(new Error(message)), true, message);
    for (const message of ['EACCES: permission denied', 'Event queue overflow', 'ENOENT: no such file'])
      assert.equal(isWatchLimitError(new Error(message)), false, message);
    assert.equal(
      describeWatchLimit(new Error('ENOSPC')).includes('sysctl fs.inotify.max_user_watches'),
      true,
    );
  });
});
