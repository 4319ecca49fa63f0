import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WsgictlError } from '../../src/errors.js';
import type { GroupReloadResult } from '../../src/reload/types.js';
import {
  type ActionNotice,
  createExecAction,
  createGroupAction,
  createTouchAction,
} from '../../src/watch/actions.js';
import type { Supervisor } from '../../src/watch/supervisor.js';
import { settle } from '../helpers/manual-timer.js';

const RESULT: GroupReloadResult = {
  instance: 10,
  group: 'django',
  signal: 'SIGINT',
  oldPids: [11, 12],
  newPids: [21, 22],
  ms: 500,
  outcome: 'replaced',
  skipped: [],
  missing: 0,
  members: [
    { pid: 11, state: 'replaced', newPid: 21 },
    { pid: 12, state: 'replaced', newPid: 22 },
  ],
};

describe('createGroupAction', () => {
  it('waits for a group that is not running, says so once, then reloads it', async () => {
    let calls = 0;
    const notices: ActionNotice[] = [];
    const action = createGroupAction(
      async () => {
        calls++;
        if (calls < 4) throw new WsgictlError('NO_SUCH_GROUP', 'no group "django"');
        return [RESULT];
      },
      { groups: ['django'] },
      (notice) => notices.push(notice),
      1,
    );
    const reports = await action.run(new AbortController().signal);
    assert.equal(calls, 4);
    assert.deepEqual(notices, [
      {
        message: 'no group "django" (waiting for it to start; the reload follows)',
        code: 'NO_SUCH_GROUP',
        waiting: true,
      },
    ]);
    assert.deepEqual(reports, [{ action: 'group', ...RESULT }]);
  });

  it('stops waiting when watching stops', async () => {
    const abort = new AbortController();
    const action = createGroupAction(
      async () => {
        throw new WsgictlError('NO_SUCH_GROUP', 'no group "django"');
      },
      { groups: ['django'] },
      () => abort.abort(),
      60_000,
    );
    assert.deepEqual(await action.run(abort.signal), []);
  });

  it('lets other failures through, for the loop to report', async () => {
    const action = createGroupAction(
      async () => {
        throw new WsgictlError('PERMISSION', 'not allowed');
      },
      { groups: ['django'] },
      () => assert.fail('no waiting notice'),
    );
    await assert.rejects(action.run(new AbortController().signal), /not allowed/);
  });

  it('waits the same way for an Apache with no processes yet, and reloads with the request it was given', async () => {
    const requests: unknown[] = [];
    const notices: ActionNotice[] = [];
    const request = { groups: ['django'], instance: 812 };
    const action = createGroupAction(
      async (asked) => {
        requests.push(asked);
        if (requests.length === 1) throw new WsgictlError('NO_PROCESSES', 'no Apache with pid 812');
        return [RESULT];
      },
      request,
      (notice) => notices.push(notice),
      1,
    );
    assert.deepEqual(await action.run(new AbortController().signal), [{ action: 'group', ...RESULT }]);
    assert.deepEqual(requests, [request, request]);
    assert.equal(notices[0]?.code, 'NO_PROCESSES');
  });
});

describe('createTouchAction', () => {
  it('touches the WSGI script once per batch and reports which one', async () => {
    const touched: string[] = [];
    const action = createTouchAction('/srv/app/mysite/wsgi.py', (path) => touched.push(path));
    assert.equal(action.name, 'touch');
    await action.start();
    assert.deepEqual(touched, [], 'starting touches nothing');
    const [report] = await action.run(new AbortController().signal);
    assert.deepEqual(touched, ['/srv/app/mysite/wsgi.py']);
    assert.equal(report?.action, 'touch');
    assert.ok(report?.action === 'touch' && report.script === '/srv/app/mysite/wsgi.py' && report.ms >= 0);
  });

  it('a touch that fails throws, for the loop to report', async () => {
    const action = createTouchAction('/srv/app/gone.wsgi', () => {
      throw new Error("ENOENT: no such file or directory, utime '/srv/app/gone.wsgi'");
    });
    await assert.rejects(action.run(new AbortController().signal), /ENOENT/);
  });
});

describe('createExecAction', () => {
  /** A supervisor that records what it was asked and hands out pids 100, 101, ... */
  function fakeSupervisor() {
    const log: string[] = [];
    let pid = 99;
    let release: () => void = () => {};
    const supervisor: Supervisor = {
      start: () => {
        log.push('start');
        return ++pid;
      },
      restart: async () => {
        log.push('restart');
        return { oldPid: pid, newPid: ++pid };
      },
      stop: () =>
        new Promise<void>((resolve) => {
          log.push('stop');
          release = () => {
            log.push('stopped');
            resolve();
          };
        }),
    };
    return { supervisor, log, release: () => release() };
  }

  it('starts the command when watching starts, restarts it per batch with old -> new pid, stops it at the end', async () => {
    const fake = fakeSupervisor();
    const action = createExecAction('gunicorn app:app', fake.supervisor);
    assert.equal(action.name, 'exec');
    await action.start();
    assert.deepEqual(fake.log, ['start']);
    const [first] = await action.run(new AbortController().signal);
    const [second] = await action.run(new AbortController().signal);
    assert.ok(first?.action === 'exec' && second?.action === 'exec');
    assert.deepEqual([first.command, first.oldPid, first.newPid], ['gunicorn app:app', 100, 101]);
    assert.deepEqual([second.oldPid, second.newPid], [101, 102]);
    let stopped = false;
    const stopping = action.stop().then(() => (stopped = true));
    await settle();
    assert.equal(stopped, false, 'stop waits until the command tree is gone');
    fake.release();
    await stopping;
    assert.deepEqual(fake.log, ['start', 'restart', 'restart', 'stop', 'stopped']);
  });
});
