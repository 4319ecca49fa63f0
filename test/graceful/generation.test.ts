import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonGroupConfig } from '../../src/apache/config/model.js';
import { type GenerationGoal, STABLE_MS, waitForGeneration } from '../../src/graceful/generation.js';
import type { ProcessInfo, ProcessSource } from '../../src/processes/types.js';
import { PARENT, proc } from '../helpers/processes.js';

/** What the machine shows at one moment: the parent's listener inodes and each child with the inode it holds. */
interface Moment {
  parentGone?: boolean;
  listeners: string[];
  children: Array<{ pid: number; threads: number; inode: string | null; startKey?: string }>;
}

const GROUPS: DaemonGroupConfig[] = ['django', 'flask'].map((name, i) => ({
  id: i + 1,
  name,
  processes: name === 'django' ? 2 : 1,
  threads: 2,
  user: null,
  group: null,
  displayName: '%{GROUP}',
  file: 'httpd.conf',
  line: i + 1,
}));

/** inode "gG-ID" is the listener of group ID in generation G. */
function socketPath(inode: string): string {
  const [generation, id] = inode.slice(1).split('-');
  return `/run/wsgi.${PARENT}.${generation}.${id}.sock`;
}

/**
 * A machine that shows `at(ms)` at the clock's time; the clock moves only when the wait sleeps, so every
 * test runs in no real time.
 */
function scriptedMachine(at: (ms: number) => Moment) {
  let clock = 0;
  const parent = proc(PARENT, { ppid: 1, argv: ['apache2'], uid: 0, user: 'root' });
  const moment = () => at(clock);
  const child = (c: Moment['children'][number]): ProcessInfo =>
    proc(c.pid, { threads: c.threads, startKey: c.startKey ?? 'new', argv: ['(wsgi:d'] });
  const source: ProcessSource = {
    platform: 'linux',
    list: async () => {
      const processes = moment().children.map(child);
      return { stubs: new Map(processes.map((p) => [p.pid, { pid: p.pid, comm: p.comm }])), processes };
    },
    read: async (pid) => {
      if (pid === PARENT) return moment().parentGone ? null : parent;
      const found = moment().children.find((c) => c.pid === pid);
      return found ? child(found) : null;
    },
    socketInodes: async (pid) => {
      if (pid === PARENT) return new Set(moment().listeners);
      const found = moment().children.find((c) => c.pid === pid);
      return found ? new Set(found.inode ? [found.inode] : []) : null;
    },
    unixSocketPaths: async () => new Map(moment().listeners.map((inode) => [inode, socketPath(inode)])),
    ancestors: async () => new Set(),
    environment: async () => null,
    fileRoot: async () => '',
    executable: async () => null,
  };
  const goal = (more: Partial<GenerationGoal> = {}): GenerationGoal => ({
    source,
    parent,
    oldInodes: new Set(['g0-1', 'g0-2']),
    oldChildren: new Map([
      [11, 'old'],
      [12, 'old'],
      [13, 'old'],
    ]),
    oldDaemons: [11, 12, 13],
    groups: GROUPS,
    signalledAt: 0,
    deadline: 10_000,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    ...more,
  });
  return { goal };
}

const OLD: Moment = {
  listeners: ['g0-1', 'g0-2'],
  children: [
    { pid: 11, threads: 4, inode: 'g0-1', startKey: 'old' },
    { pid: 12, threads: 4, inode: 'g0-1', startKey: 'old' },
    { pid: 13, threads: 4, inode: 'g0-2', startKey: 'old' },
  ],
};

/** The new generation: django's two daemons and flask's one, with `threads` each. */
function fresh(threads: number, flask: Moment['children'] = [{ pid: 23, threads, inode: 'g1-2' }]): Moment {
  return {
    listeners: ['g1-1', 'g1-2'],
    children: [{ pid: 21, threads, inode: 'g1-1' }, { pid: 22, threads, inode: 'g1-1' }, ...flask],
  };
}

describe('waitForGeneration', () => {
  it('waits for new listeners, then for each group’s daemons up by socket and stable for STABLE_MS', async () => {
    const { goal } = scriptedMachine((ms) => (ms < 200 ? OLD : ms < 400 ? fresh(1) : fresh(3)));
    const watch = await waitForGeneration(goal());
    assert.equal(watch.failure, null);
    assert.equal(watch.generation, 1);
    assert.deepEqual(
      watch.groups.map((g) => [g.group, g.upPids, g.upAfterMs]),
      [
        ['django', [21, 22], 400],
        ['flask', [23], 400],
      ],
    );
    assert.ok(watch.ms >= 400 + STABLE_MS, `ended at ${watch.ms} ms`);
    assert.deepEqual(watch.oldDaemonsLeft, []);
  });

  it('a daemon up for less than STABLE_MS does not count: the group is up from its successor on', async () => {
    const { goal } = scriptedMachine((ms) => {
      if (ms < 100) return OLD;
      if (ms < 300) return fresh(3);
      if (ms < 350) return fresh(3, []); // flask's first daemon died 200 ms after it came up
      return fresh(3, [{ pid: 24, threads: 3, inode: 'g1-2' }]);
    });
    const watch = await waitForGeneration(goal());
    assert.deepEqual(
      watch.groups.map((g) => [g.group, g.upPids, g.upAfterMs]),
      [
        ['django', [21, 22], 100],
        ['flask', [24], 350],
      ],
    );
    assert.deepEqual(watch.groups[1]?.deaths, [23]);
  });

  it('an old daemon still holding an old socket is neither counted nor forgotten', async () => {
    const { goal } = scriptedMachine((ms) => {
      const now = ms < 100 ? OLD : fresh(3);
      return { ...now, children: [...now.children, { pid: 13, threads: 4, inode: 'g0-2', startKey: 'old' }] };
    });
    const watch = await waitForGeneration(goal());
    assert.deepEqual(watch.groups[1]?.upPids, [23]);
    assert.deepEqual(watch.oldDaemonsLeft, [13]);
  });

  it('a group whose new daemon writes a crit line fails without waiting, the others are up', async () => {
    const { goal } = scriptedMachine((ms) => (ms < 100 ? OLD : fresh(3)));
    const fatal = '[x] [wsgi:crit] [pid 23:tid 23] WSGI0028: Python initialisation failed';
    const watch = await waitForGeneration(
      goal({
        inspectLog: (group, pids) => ({
          deaths: [],
          fatal: group === 'flask' && pids.includes(23) ? fatal : null,
        }),
      }),
    );
    assert.equal(watch.groups[1]?.fatal, fatal);
    assert.equal(watch.groups[1]?.upAfterMs, null);
    assert.notEqual(watch.groups[0]?.upAfterMs, null);
    assert.ok(watch.ms < 2000, `ended at ${watch.ms} ms`);
  });

  it('a group whose new daemons keep dying fails on the second death, long before the deadline', async () => {
    // flask's daemon lives 100 ms at a time, with a new pid each time, as a crash loop does.
    const { goal } = scriptedMachine((ms) => {
      if (ms < 100) return OLD;
      const pid = 30 + Math.floor(ms / 150);
      return fresh(3, ms % 150 < 100 ? [{ pid, threads: 3, inode: 'g1-2' }] : []);
    });
    const watch = await waitForGeneration(goal());
    const flask = watch.groups[1];
    assert.ok((flask?.deaths.length ?? 0) >= 2, JSON.stringify(flask));
    assert.equal(flask?.upAfterMs, null);
    assert.ok(watch.ms < 2000, `ended at ${watch.ms} ms`);
  });

  it('says so when the parent exits, or binds no new listeners by the deadline', async () => {
    const gone = scriptedMachine((ms) => (ms < 100 ? OLD : { ...OLD, parentGone: true }));
    assert.match((await waitForGeneration(gone.goal())).failure ?? '', /exited during the graceful restart/);
    const stuck = scriptedMachine(() => OLD);
    const watch = await waitForGeneration(stuck.goal({ deadline: 1000 }));
    assert.match(watch.failure ?? '', /bound no new listener socket for every group within the timeout/);
    assert.equal(watch.bound, false);
  });
});
