import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApacheInstance } from '../../src/apache/discover.js';
import type { Member } from '../../src/apache/identify.js';
import type { ProcessInfo } from '../../src/processes/types.js';
import { planReload } from '../../src/reload/plan.js';

function proc(pid: number): ProcessInfo {
  return {
    pid,
    ppid: 10,
    uid: 33,
    user: 'www-data',
    startKey: '1',
    startedAt: new Date(0),
    argv: ['(wsgi:d'],
    comm: 'apache2',
    rssBytes: null,
  };
}

function instance(pid: number, groups: string[], children: Member[]): ApacheInstance {
  return {
    parent: { ...proc(pid), ppid: 1 },
    config: { configFile: 'x', serverRoot: '/', socketPrefix: null, groups: [], files: [], warnings: [] },
    context: { parentPid: pid, argv0Length: 7, groups: [] },
    children,
    groups: groups.map((name) => ({ name, config: null, members: children.filter((c) => c.group === name) })),
    warnings: [],
  };
}

const daemon = (pid: number, group: string): Member => ({
  process: proc(pid),
  role: 'daemon',
  group,
  via: 'socket',
  candidates: [],
});
const ambiguous = (pid: number): Member => ({
  process: proc(pid),
  role: 'daemon',
  group: null,
  via: 'ambiguous',
  candidates: ['django', 'djangoadmin'],
});
const worker = (pid: number): Member => ({
  process: proc(pid),
  role: 'worker',
  group: null,
  via: 'no-socket',
  candidates: [],
});

describe('planReload', () => {
  it('targets only the group’s daemons, never workers, pid 1 or a process whose group is ambiguous', () => {
    const one = instance(
      10,
      ['django', 'djangoadmin'],
      [daemon(11, 'django'), daemon(1, 'django'), ambiguous(12), worker(13), daemon(14, 'djangoadmin')],
    );
    const [plan] = planReload([one], ['django'], false);
    assert.deepEqual(
      plan?.targets.map((t) => t.pid),
      [11],
    );
    assert.deepEqual(plan?.skipped, [{ pid: 12, reason: 'its cut name fits django or djangoadmin' }]);
  });

  it('plans the group in every instance that runs it', () => {
    const plans = planReload(
      [instance(10, ['django'], [daemon(11, 'django')]), instance(20, ['django'], [daemon(21, 'django')])],
      ['django'],
      false,
    );
    assert.deepEqual(
      plans.map((p) => [p.instance.parent.pid, p.targets.map((t) => t.pid)]),
      [
        [10, [11]],
        [20, [21]],
      ],
    );
  });

  it('refuses to guess when only ambiguous processes could be the group (exit 4)', () => {
    assert.throws(
      () => planReload([instance(10, ['django', 'djangoadmin'], [ambiguous(12)])], ['django'], false),
      {
        code: 'PERMISSION',
        message: /cannot tell which processes belong to "django" \(pids 12 .*run as root or www-data/,
      },
    );
  });

  it('exit 3 for a configured group with no running process, and for an unknown one', () => {
    assert.throws(() => planReload([instance(10, ['django'], [])], ['django'], false), {
      code: 'NO_PROCESSES',
    });
    assert.throws(() => planReload([instance(10, ['django'], [])], ['flask'], false), {
      code: 'NO_SUCH_GROUP',
    });
  });

  it('--all takes every group that has processes and passes over the idle ones', () => {
    const plans = planReload([instance(10, ['django', 'idle'], [daemon(11, 'django')])], [], true);
    assert.deepEqual(
      plans.map((p) => p.group),
      ['django'],
    );
  });
});
