import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DaemonGroupConfig } from '../../src/apache/config/model.js';
import { identifyChild, type Member } from '../../src/groups/identify.js';
import type { Listener } from '../../src/groups/listeners.js';
import { adviceFor, blockingDoubts, type VerifyInput, verifyInstance } from '../../src/groups/verify.js';
import type { ProcessInfo } from '../../src/processes/types.js';

const PARENT = 500;
const PREFIX = '/run/apache2/wsgi';

function group(id: number, name: string, extra: Partial<DaemonGroupConfig> = {}): DaemonGroupConfig {
  return {
    id,
    name,
    processes: 2,
    threads: 1,
    user: null,
    group: null,
    displayName: '%{GROUP}',
    file: 'x',
    line: id,
    ...extra,
  };
}

function listener(id: number, pid = PARENT, prefix = PREFIX): Listener {
  return { inode: String(9000 + id), path: `${prefix}.${pid}.0.${id}.sock`, pid, generation: 0, id };
}

function proc(pid: number, argv0: string, uid = 33): ProcessInfo {
  return {
    pid,
    ppid: PARENT,
    uid,
    user: uid === 33 ? 'www-data' : String(uid),
    startKey: '1',
    startedAt: new Date(0),
    argv: [argv0, '-k', 'start'],
    comm: 'apache2',
    rssBytes: null,
    nsPid: pid,
  };
}

const GROUPS = [group(1, 'django'), group(2, 'flask', { displayName: null, user: 'app' })];
const UIDS = new Map([
  ['www-data', 33],
  ['app', 1000],
]);

/** An instance started as `/usr/sbin/apache2` (17 characters) with every check agreeing. */
function input(
  children: Array<[ProcessInfo, number[] | null]>,
  extra: Partial<VerifyInput> = {},
): VerifyInput {
  const listeners =
    extra.context?.listeners ?? new Map([1, 2].map((id) => [String(9000 + id), listener(id)]));
  const context = { parentPid: PARENT, argv0Length: 17, groups: GROUPS, listeners };
  return {
    context,
    parentArgv0: '/usr/sbin/apache2',
    parentUid: 0,
    parentNsPid: PARENT,
    socketPrefix: PREFIX,
    apacheUser: 'www-data',
    children: children.map(([process, socketIds]): Member => identifyChild(process, context, { socketIds })),
    undecided: [],
    stale: null,
    uidOf: (name) => UIDS.get(name) ?? null,
    ...extra,
  };
}

const DJANGO = proc(11, '(wsgi:django)');
const FLASK = proc(12, '/usr/sbin/apache2', 1000);

describe('verifyInstance', () => {
  it('finds nothing to doubt when sockets, display-names, owners and counts agree', () => {
    assert.deepEqual(
      verifyInstance(
        input([
          [DJANGO, [1]],
          [FLASK, [2]],
          [proc(13, '/usr/sbin/apache2'), []],
        ]),
      ),
      [],
    );
  });

  it('contradiction: the parent holds listeners for another number of groups than the configuration defines', () => {
    const three = new Map([1, 2, 3].map((id) => [String(9000 + id), listener(id)]));
    const [doubt] = verifyInstance(
      input([[DJANGO, [1]]], {
        context: { parentPid: PARENT, argv0Length: 17, groups: GROUPS, listeners: three },
      }),
    );
    assert.deepEqual(doubt, {
      kind: 'contradiction',
      reason: 'Apache holds listener sockets for 3 groups but its configuration as read defines 2',
    });
  });

  it('contradiction: listeners named after another pid, or outside WSGISocketPrefix', () => {
    const odd = new Map([
      ['1', listener(1, 777)],
      ['2', listener(2, PARENT, '/elsewhere/wsgi')],
    ]);
    const reasons = verifyInstance(
      input([], { context: { parentPid: PARENT, argv0Length: 17, groups: GROUPS, listeners: odd } }),
    ).map((d) => d.reason);
    assert.ok(
      reasons.some((r) => /wsgi\.777\.0\.1\.sock is named after another pid/.test(r)),
      reasons.join('; '),
    );
    assert.ok(
      reasons.some((r) => /\/elsewhere\/wsgi\.500\.0\.2\.sock is not under WSGISocketPrefix/.test(r)),
      reasons.join('; '),
    );
  });

  it('contradiction: a socket says one group and the display-name another (the ids shifted)', () => {
    const reasons = verifyInstance(input([[proc(11, '(wsgi:flask)', 1000), [1]]])).map((d) => d.reason);
    assert.ok(
      reasons.includes('pid 11 holds the listener socket of "django" but shows "(wsgi:flask)"'),
      reasons.join('; '),
    );
  });

  it('checks a cut display-name against the cut, and a group without one against Apache’s own argv[0]', () => {
    const cut = input([[proc(11, '(wsgi:d'), [1]]], { parentArgv0: 'apache2' });
    cut.context.argv0Length = 7;
    assert.deepEqual(verifyInstance(cut), []);
    const renamed = verifyInstance(input([[proc(12, '(wsgi:flask)', 1000), [2]]])).map((d) => d.reason);
    assert.ok(
      renamed.includes('pid 12 holds the listener socket of "flask" but shows "(wsgi:flask)"'),
      renamed.join('; '),
    );
  });

  it('contradiction: a display-name with readable fds but no listener of this Apache', () => {
    const reasons = verifyInstance(input([[DJANGO, []]])).map((d) => d.reason);
    assert.ok(
      reasons.includes('pid 11 shows "(wsgi:django)" but holds no listener socket of "django"'),
      reasons.join('; '),
    );
    // Unreadable fds are no contradiction: the display-name is all there is.
    assert.deepEqual(
      verifyInstance(
        input([[DJANGO, null]], {
          context: { parentPid: PARENT, argv0Length: 17, groups: GROUPS, listeners: null },
        }),
      ),
      [],
    );
  });

  it('contradiction: an owner other than user= or Apache’s User; an unprivileged Apache runs all as itself', () => {
    const reasons = verifyInstance(
      input([
        [proc(11, '(wsgi:django)', 1000), [1]],
        [proc(12, '/usr/sbin/apache2', 33), [2]],
      ]),
    ).map((d) => d.reason);
    assert.ok(
      reasons.includes('pid 11 of "django" runs as 1000, not as the configured www-data'),
      reasons.join('; '),
    );
    assert.ok(
      reasons.includes('pid 12 of "flask" runs as www-data, not as the configured app'),
      reasons.join('; '),
    );
    const asUser = input(
      [
        [proc(11, '(wsgi:django)', 1000), [1]],
        [proc(12, '/usr/sbin/apache2', 1000), [2]],
      ],
      { parentUid: 1000 },
    );
    assert.deepEqual(verifyInstance(asUser), []);
  });

  it('contradiction: more members than processes=; fewer is a restart in progress', () => {
    const three = [11, 12, 13].map((pid): [ProcessInfo, number[]] => [proc(pid, '(wsgi:django)'), [1]]);
    assert.deepEqual(
      verifyInstance(input(three)).map((d) => d.reason),
      ['3 processes are identified as "django", configured processes=2'],
    );
    assert.deepEqual(verifyInstance(input([[DJANGO, [1]]])), []);
  });

  it('stale and undecided configurations are doubts of their own kind', () => {
    const doubts = verifyInstance(
      input([[DJANGO, [1]]], {
        stale: {
          path: '/etc/apache2/conf.d',
          changedAt: new Date(2),
          readAt: new Date(1),
          readFrom: 'its listener sockets, generation 0',
        },
        undecided: [
          {
            file: '/etc/apache2/x.conf',
            line: 3,
            condition: '<IfDirective Foo>',
            reason: 'unknown directive',
          },
        ],
      }),
    );
    assert.deepEqual(
      doubts.map((d) => d.kind),
      ['stale', 'uncertain'],
    );
    assert.equal(
      doubts[0]?.reason,
      '/etc/apache2/conf.d changed after Apache last read its configuration (its listener sockets, generation 0)',
    );
    assert.deepEqual(blockingDoubts(doubts, true), []);
    assert.equal(blockingDoubts(doubts, false).length, 2);
    assert.match(adviceFor(doubts[0] as (typeof doubts)[0]), /wsgictl graceful.*--trust-config/);
  });
});
