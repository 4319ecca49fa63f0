import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonGroupConfig } from '../../src/apache/config/model.js';
import { createConfig } from '../../src/apache/config/sections.js';
import { createSites } from '../../src/apache/config/sites.js';
import type { Member } from '../../src/groups/identify.js';
import type { ApacheInstance } from '../../src/groups/instance.js';
import type { Doubt } from '../../src/groups/verify.js';
import type { ProcessInfo } from '../../src/processes/types.js';
import { planReload } from '../../src/reload/plan.js';
import { commandLine } from '../helpers/apache-config.js';

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
    nsPid: pid,
  };
}

function config(id: number, name: string, displayName: string | null): DaemonGroupConfig {
  return { id, name, processes: 1, threads: 1, user: null, group: null, displayName, file: 'x', line: id };
}

function instance(
  pid: number,
  groups: string[],
  children: Member[],
  doubts: Doubt[] = [],
  displayName: string | null = '%{GROUP}',
): ApacheInstance {
  const configured = groups.map((name, i) => config(i + 1, name, displayName));
  return {
    parent: { ...proc(pid), ppid: 1, uid: 0, user: 'root', argv: ['apache2'] },
    config: { ...createConfig(commandLine(), createSites()), groups: configured },
    context: { parentPid: pid, argv0Length: 7, groups: configured, listeners: null },
    children,
    groups: groups.map((name) => ({
      name,
      config: null,
      members: children.filter((c) => c.group === name),
      verified: doubts.length === 0,
    })),
    doubts,
    configReadAt: new Date(0),
    fileRoot: '',
    pidFilePid: pid,
    warnings: [],
  };
}

const daemon = (pid: number, group: string): Member => ({
  process: proc(pid),
  role: 'daemon',
  group,
  via: 'socket',
  candidates: [],
  socketIds: [1],
});
const ambiguous = (pid: number): Member => ({
  process: proc(pid),
  role: 'daemon',
  group: null,
  via: 'ambiguous',
  candidates: ['django', 'djangoadmin'],
  socketIds: null,
});
const worker = (pid: number): Member => ({
  process: proc(pid),
  role: 'worker',
  group: null,
  via: 'no-socket',
  candidates: [],
  socketIds: [],
});
const hidden = (pid: number): Member => ({
  process: { ...proc(pid), argv: ['apache2'] },
  role: 'worker',
  group: null,
  via: 'argv0',
  candidates: [],
  socketIds: null,
});
const ONE = { all: false, trustConfig: false };

describe('planReload', () => {
  it('targets only the group’s daemons, never workers, pid 1 or a process whose group is ambiguous', () => {
    const one = instance(
      10,
      ['django', 'djangoadmin'],
      [daemon(11, 'django'), daemon(1, 'django'), ambiguous(12), worker(13), daemon(14, 'djangoadmin')],
    );
    const [plan] = planReload([one], ['django'], ONE);
    assert.deepEqual(
      plan?.targets.map((t) => t.pid),
      [11],
    );
    assert.deepEqual(plan?.skipped, [
      {
        pid: 12,
        reason: 'not identified: its cut name fits django or djangoadmin and its sockets could not be read',
      },
    ]);
  });

  it('plans the group in every instance that runs it', () => {
    const plans = planReload(
      [instance(10, ['django'], [daemon(11, 'django')]), instance(20, ['django'], [daemon(21, 'django')])],
      ['django'],
      ONE,
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
      () => planReload([instance(10, ['django', 'djangoadmin'], [ambiguous(12)])], ['django'], ONE),
      {
        code: 'PERMISSION',
        message:
          /cannot tell which processes belong to "django" \(pids 12 .*only root can read their sockets \(mod_wsgi makes its daemons non-dumpable when it drops privileges\): run wsgictl with sudo, or reload with --touch SCRIPT/,
      },
    );
  });

  it('exit 4, not 3, for a group without display-name whose daemons look like workers to this user', () => {
    const one = instance(10, ['plain'], [hidden(11), hidden(12)], [], null);
    assert.throws(() => planReload([one], ['plain'], ONE), {
      code: 'PERMISSION',
      message:
        /cannot tell which children of apache2 \(pid 10\) are "plain": it has no display-name.*only root/,
    });
  });

  it('a group found nowhere in an instance whose mapping is in doubt is refused (exit 5), not "not running" (3)', () => {
    const shifted: Doubt = {
      kind: 'contradiction',
      reason: 'Apache holds listener sockets for 3 groups but its configuration as read defines 2',
    };
    const one = instance(10, ['django', 'flask'], [daemon(11, 'flask')], [shifted]);
    assert.throws(() => planReload([one], ['django'], ONE), {
      code: 'REFUSED',
      message:
        /^refused to reload "django" under apache2 \(pid 10\), nothing was sent: Apache holds listener sockets for 3 groups/,
    });
  });

  it('refuses (exit 5) when the instance’s identification is in doubt; --trust-config lifts only a stale or undecided configuration', () => {
    const stale: Doubt = {
      kind: 'stale',
      reason: '/etc/apache2/apache2.conf changed after Apache last read its configuration (its pidfile)',
    };
    const contradiction: Doubt = {
      kind: 'contradiction',
      reason: 'pid 11 holds the listener socket of "django" but shows "(wsgi:flask)"',
    };
    const staleOne = instance(10, ['django'], [daemon(11, 'django')], [stale]);
    assert.throws(() => planReload([staleOne], ['django'], ONE), {
      code: 'REFUSED',
      message:
        /^refused to reload "django" under apache2 \(pid 10\), nothing was sent: \/etc\/apache2\/apache2\.conf changed .*; make Apache read it and wait for its groups \(wsgictl graceful\), or pass --trust-config/,
    });
    assert.equal(planReload([staleOne], ['django'], { all: false, trustConfig: true }).length, 1);
    const wrong = instance(10, ['django'], [daemon(11, 'django')], [stale, contradiction]);
    assert.throws(() => planReload([wrong], ['django'], { all: false, trustConfig: true }), {
      code: 'REFUSED',
      message: /holds the listener socket of "django" but shows.*check `wsgictl ps`/,
    });
    // One doubtful instance stops the whole reload, whichever group in it was named.
    assert.throws(
      () => planReload([instance(20, ['django'], [daemon(21, 'django')]), staleOne], ['django'], ONE),
      { code: 'REFUSED', message: /\(and|pid 10/ },
    );
  });

  it('exit 3 for a configured group with no running process, and for an unknown one', () => {
    assert.throws(() => planReload([instance(10, ['django'], [])], ['django'], ONE), {
      code: 'NO_PROCESSES',
    });
    assert.throws(() => planReload([instance(10, ['django'], [])], ['flask'], ONE), {
      code: 'NO_SUCH_GROUP',
    });
  });

  it('a group with no process whose listener the parent holds is between generations, not unconfigured', () => {
    const churning = instance(10, ['django', 'churn'], [daemon(11, 'django')]);
    const listener = (id: number) => ({
      inode: `${id}`,
      path: `/run/wsgi.10.0.${id}.sock`,
      pid: 10,
      generation: 0,
      id,
    });
    churning.context.listeners = new Map([
      ['1', listener(1)],
      ['2', listener(2)],
    ]);
    assert.throws(() => planReload([churning], ['churn'], ONE), {
      code: 'NO_PROCESSES',
      message:
        'group churn has no process at this moment; its listener exists, so it is configured: its daemons are restarting',
    });
    // Without the listener it may really not be loaded.
    churning.context.listeners = new Map([['1', listener(1)]]);
    assert.throws(() => planReload([churning], ['churn'], ONE), /is Apache's configuration loaded\?/);
  });

  it('--all takes every group that has processes and passes over the idle ones', () => {
    const plans = planReload([instance(10, ['django', 'idle'], [daemon(11, 'django')])], [], {
      all: true,
      trustConfig: false,
    });
    assert.deepEqual(
      plans.map((p) => p.group),
      ['django'],
    );
  });
});
