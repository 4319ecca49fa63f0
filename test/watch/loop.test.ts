import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WsgictlError } from '../../src/errors.js';
import type { Action, ActionReport } from '../../src/watch/actions.js';
import { OVERFLOW } from '../../src/watch/batch.js';
import { type LoopOptions, runWatchLoop, type WatchEvent } from '../../src/watch/loop.js';
import type { Watcher, WatcherOptions } from '../../src/watch/watcher.js';
import { type ManualTimer, manualTimer, settle } from '../helpers/manual-timer.js';

const ROOT = '/srv/app';
const DEBOUNCE_MS = 200;

type StopReason = 'SIGINT' | 'SIGTERM';

/** Everything runWatchLoop talks to, faked, and what it said (the lines `watch --json` prints). */
function harness(mode: 'native' | 'poll' = 'native') {
  let watcherOptions: WatcherOptions | undefined;
  let stop: (reason: StopReason) => void = () => {};
  const log: string[] = [];
  const events: WatchEvent[] = [];
  const timer: ManualTimer = manualTimer();
  const stopped = new Promise<StopReason>((resolve) => (stop = resolve));
  const deps = {
    emit: (event: WatchEvent) => {
      events.push(event);
      log.push(`emit ${event.event}`);
    },
    stop: stopped,
    timer,
    startWatcher: async (options: WatcherOptions): Promise<Watcher> => {
      watcherOptions = options;
      log.push('watcher started');
      return {
        mode: () => mode,
        close: async () => void log.push('watcher closed'),
      };
    },
  };
  return {
    deps,
    log,
    events,
    timer,
    stop: (reason: StopReason) => stop(reason),
    /** What the native watcher would report (unfiltered paths). */
    change: (...paths: string[]) => {
      assert.ok(watcherOptions, 'the watcher was started');
      watcherOptions.onChanges(paths);
    },
    watcherError: (error: Error) => {
      assert.ok(watcherOptions, 'the watcher was started');
      watcherOptions.onError(error);
    },
    of: <K extends WatchEvent['event']>(kind: K) =>
      events.filter((event): event is Extract<WatchEvent, { event: K }> => event.event === kind),
  };
}

function options(actions: Action[], extra: Partial<LoopOptions> = {}): LoopOptions {
  return {
    roots: [ROOT],
    nativeIgnore: [`${ROOT}/.git`],
    filter: (path) => path.endsWith('.py'),
    dirFilter: () => true,
    debounceMs: DEBOUNCE_MS,
    actions,
    ...extra,
  };
}

/** An action that reports a touch of `script` on every run and logs what is done to it. */
function touchAction(script: string, log: string[], name: Action['name'] = 'touch'): Action {
  return {
    name,
    start: async () => void log.push(`start ${script}`),
    run: async (): Promise<ActionReport[]> => {
      log.push(`run ${script}`);
      return [{ action: 'touch', script, ms: 1 }];
    },
    stop: async () => void log.push(`stop ${script}`),
  };
}

describe('runWatchLoop', () => {
  it('says ready once the watcher and every action have started: paths, mode, actions, debounce, time', async () => {
    const h = harness('poll');
    const times = [1000, 1042];
    const running = runWatchLoop(options([touchAction('/srv/app/app.wsgi', h.log)], { pollMs: 50 }), {
      ...h.deps,
      now: () => times.shift() ?? 9999,
    });
    await settle();
    assert.deepEqual(h.events, [
      {
        event: 'ready',
        paths: [ROOT],
        mode: 'poll',
        actions: ['touch'],
        debounceMs: DEBOUNCE_MS,
        ms: 42,
      },
    ]);
    assert.deepEqual(h.log, ['watcher started', 'start /srv/app/app.wsgi', 'emit ready']);
    h.stop('SIGTERM');
    assert.equal(await running, 'SIGTERM');
    assert.deepEqual(h.log.slice(3), ['watcher closed', 'stop /srv/app/app.wsgi']);
  });

  it('a burst becomes one change and one reload per report, after the quiet window, ignored paths dropped', async () => {
    const h = harness();
    const running = runWatchLoop(options([touchAction('/srv/app/app.wsgi', h.log)]), h.deps);
    await settle();
    h.change('/srv/app/a.py', '/srv/app/logo.png');
    await h.timer.advance(DEBOUNCE_MS - 50);
    h.change('/srv/app/b.py', '/srv/app/a.py', OVERFLOW);
    await h.timer.advance(DEBOUNCE_MS - 1);
    assert.deepEqual(h.of('change'), [], 'nothing runs while changes keep arriving');
    await h.timer.advance(1);
    assert.deepEqual(h.of('change'), [
      { event: 'change', files: ['/srv/app/a.py', '/srv/app/b.py', OVERFLOW], count: 3 },
    ]);
    assert.deepEqual(h.of('reload'), [
      {
        event: 'reload',
        files: ['/srv/app/a.py', '/srv/app/b.py', OVERFLOW],
        action: 'touch',
        script: '/srv/app/app.wsgi',
        ms: 1,
      },
    ]);
    h.stop('SIGINT');
    assert.equal(await running, 'SIGINT');
  });

  it('changes to ignored files only start no batch at all', async () => {
    const h = harness();
    const running = runWatchLoop(options([touchAction('/srv/app/app.wsgi', h.log)]), h.deps);
    await settle();
    h.change('/srv/app/logo.png', '/srv/app/app.pyc');
    assert.equal(h.timer.armed(), 0);
    await h.timer.advance(10 * DEBOUNCE_MS);
    assert.deepEqual(
      h.events.map((event) => event.event),
      ['ready'],
    );
    assert.ok(!h.log.includes('run /srv/app/app.wsgi'));
    h.stop('SIGINT');
    await running;
  });

  it('the change event and the reload event list the same files, every one, with the count', async () => {
    const h = harness();
    const running = runWatchLoop(options([touchAction('/srv/app/app.wsgi', h.log)]), h.deps);
    await settle();
    const files = Array.from({ length: 45 }, (_, i) => `/srv/app/m${i}.py`);
    h.change(...files);
    await h.timer.advance(DEBOUNCE_MS);
    const [change] = h.of('change');
    assert.equal(change?.count, 45);
    assert.deepEqual(change?.files, files);
    assert.deepEqual(h.of('reload')[0]?.files, files);
    h.stop('SIGINT');
    await running;
  });

  it('a group reload with --check: the reload line without the check, then the check as its own event', async () => {
    const h = harness();
    const health = [{ url: 'http://127.0.0.1/shop', address: '127.0.0.1:80', status: 500, ok: false, ms: 4 }];
    const reloaded: ActionReport = {
      action: 'group',
      instance: 812,
      group: 'django',
      signal: 'SIGINT',
      oldPids: [1201],
      newPids: [1310],
      ms: 840,
      outcome: 'replaced',
      skipped: [],
      missing: 0,
      members: [{ pid: 1201, state: 'replaced', newPid: 1310 }],
      health,
      unchecked: [],
      errors: ['[wsgi:error] [pid 1310] SyntaxError: invalid syntax'],
      errorLogs: [],
    };
    const group: Action = {
      name: 'group',
      start: async () => {},
      run: async () => [reloaded],
      stop: async () => {},
    };
    const running = runWatchLoop(options([group]), h.deps);
    await settle();
    h.change('/srv/app/views.py');
    await h.timer.advance(DEBOUNCE_MS);
    assert.deepEqual(
      h.events.map((event) => event.event),
      ['ready', 'change', 'reload', 'check'],
    );
    const [reload] = h.of('reload');
    assert.ok(reload && !('health' in reload), 'the reload line carries no check');
    assert.deepEqual(h.of('check'), [
      {
        event: 'check',
        group: 'django',
        instance: 812,
        ok: false,
        recovered: false,
        health,
        unchecked: [],
        errors: ['[wsgi:error] [pid 1310] SyntaxError: invalid syntax'],
        errorLogs: [],
      },
    ]);
    h.stop('SIGINT');
    await running;
  });

  it('a failing action is reported with its code; the next action and the next batch still run', async () => {
    const h = harness();
    let calls = 0;
    const failing: Action = {
      name: 'group',
      start: async () => {},
      run: async () => {
        calls++;
        throw new WsgictlError('PERMISSION', 'cannot signal the daemons of group "django"');
      },
      stop: async () => {},
    };
    const running = runWatchLoop(options([failing, touchAction('/srv/app/app.wsgi', h.log)]), h.deps);
    await settle();
    h.change('/srv/app/a.py');
    await h.timer.advance(DEBOUNCE_MS);
    h.change('/srv/app/b.py');
    await h.timer.advance(DEBOUNCE_MS);
    assert.equal(calls, 2);
    assert.deepEqual(
      h.events.filter((event) => event.event !== 'ready').map((event) => event.event),
      ['change', 'error', 'reload', 'change', 'error', 'reload'],
    );
    assert.deepEqual(h.of('error')[0], {
      event: 'error',
      message: 'cannot signal the daemons of group "django"',
      code: 'PERMISSION',
    });
    h.stop('SIGTERM');
    assert.equal(await running, 'SIGTERM');
  });

  it('a watcher error is reported (no code when it has none) and watching goes on', async () => {
    const h = harness();
    const running = runWatchLoop(options([touchAction('/srv/app/app.wsgi', h.log)]), h.deps);
    await settle();
    h.watcherError(new Error('inotify read failed'));
    assert.deepEqual(h.of('error'), [{ event: 'error', message: 'inotify read failed' }]);
    h.change('/srv/app/a.py');
    await h.timer.advance(DEBOUNCE_MS);
    assert.equal(h.of('reload').length, 1);
    h.stop('SIGINT');
    await running;
  });

  it('stopping mid-batch: the action in flight is told, finishes and is reported; nothing else runs', async () => {
    const h = harness();
    let signalSeen: AbortSignal | undefined;
    const inFlight: Action = {
      name: 'group',
      start: async () => {},
      // like a group reload waiting for its group: it returns once told to stop
      run: (signal) =>
        new Promise((resolve) => {
          signalSeen = signal;
          h.log.push('run group');
          signal.addEventListener('abort', () => {
            h.log.push('group told to stop');
            resolve([{ action: 'touch', script: '/srv/app/app.wsgi', ms: 5 }]);
          });
        }),
      stop: async () => void h.log.push('stop group'),
    };
    const running = runWatchLoop(options([inFlight, touchAction('/srv/app/later.wsgi', h.log)]), h.deps);
    await settle();
    h.change('/srv/app/a.py');
    await h.timer.advance(DEBOUNCE_MS);
    assert.equal(signalSeen?.aborted, false);
    h.change('/srv/app/b.py'); // arrives during the run: would be the next batch
    h.stop('SIGINT');
    assert.equal(await running, 'SIGINT');
    await h.timer.advance(10 * DEBOUNCE_MS);
    assert.equal(signalSeen?.aborted, true);
    assert.deepEqual(
      h.of('reload').map((event) => event.files),
      [['/srv/app/a.py']],
      'the batch in flight is reported, the change that came during it never runs',
    );
    assert.ok(!h.log.includes('run /srv/app/later.wsgi'), 'no action starts after the stop');
    const ranTo = h.log.indexOf('emit reload');
    assert.ok(ranTo > h.log.indexOf('group told to stop'));
    assert.ok(
      h.log.indexOf('stop group') > ranTo && h.log.indexOf('stop /srv/app/later.wsgi') > ranTo,
      `actions are stopped after the batch finished: ${h.log.join(', ')}`,
    );
  });

  it('a change still in its quiet window when watching stops never runs', async () => {
    const h = harness();
    const running = runWatchLoop(options([touchAction('/srv/app/app.wsgi', h.log)]), h.deps);
    await settle();
    h.change('/srv/app/a.py');
    h.stop('SIGINT');
    await running;
    await h.timer.advance(10 * DEBOUNCE_MS);
    assert.deepEqual(
      h.events.map((event) => event.event),
      ['ready'],
    );
  });

  it('an action that cannot start: the error reaches the caller, the watcher is closed, actions stopped', async () => {
    const h = harness();
    const broken: Action = {
      ...touchAction('/srv/app/app.wsgi', h.log, 'exec'),
      start: async () => {
        throw new Error('spawn /bin/sh ENOENT');
      },
    };
    await assert.rejects(runWatchLoop(options([broken]), h.deps), /spawn \/bin\/sh ENOENT/);
    assert.deepEqual(h.log, ['watcher started', 'watcher closed', 'stop /srv/app/app.wsgi']);
    assert.deepEqual(h.events, [], 'no ready line');
  });

  it('a watcher that cannot start: the error reaches the caller and nothing is started', async () => {
    const h = harness();
    const failing = {
      ...h.deps,
      startWatcher: async () => {
        throw new Error('EACCES: permission denied, scandir /srv/app/private');
      },
    };
    await assert.rejects(runWatchLoop(options([touchAction('/srv/app/app.wsgi', h.log)]), failing), /EACCES/);
    assert.deepEqual(h.log, []);
    assert.deepEqual(h.events, []);
  });
});
