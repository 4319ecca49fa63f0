import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OrphanDaemon } from '../../src/groups/discover.js';
import type { Member } from '../../src/groups/identify.js';
import type { ApacheInstance } from '../../src/groups/instance.js';
import { toPsRecords } from '../../src/groups/records.js';
import type { ProcessInfo } from '../../src/processes/types.js';

function processOf(pid: number, ppid: number, argv: string[], uid = 33): ProcessInfo {
  return {
    pid,
    ppid,
    uid,
    user: uid === 0 ? 'root' : 'www-data',
    startKey: String(pid),
    startedAt: new Date(Date.UTC(2026, 10, 21, 9, 0, pid % 60)),
    nsPid: pid,
    argv,
    comm: 'apache2',
    rssBytes: pid * 1024,
  };
}

function memberOf(process: ProcessInfo, fields: Partial<Member>): Member {
  return { process, role: 'daemon', group: null, via: 'socket', candidates: [], socketIds: null, ...fields };
}

/** An instance as discovery leaves it; toPsRecords reads its parent, children and doubts. */
function instanceOf(parentPid: number, children: Member[], doubts: string[] = []): ApacheInstance {
  return {
    parent: processOf(parentPid, 1, ['/usr/sbin/apache2', '-k', 'start'], 0),
    children,
    doubts: doubts.map((reason) => ({ kind: 'uncertain', reason })),
    // The one listener the django daemon holds: what an unverified instance shows instead of a group.
    context: {
      listeners: new Map([
        ['7001', { inode: '7001', id: 1, pid: parentPid, generation: 0, path: '/run/wsgi.812.0.1.sock' }],
      ]),
    },
  } as unknown as ApacheInstance;
}

const django = memberOf(processOf(902, 812, ['(wsgi:django)']), { group: 'django', socketIds: [1] });
const flask = memberOf(processOf(901, 812, ['(wsgi:flask)']), { group: 'flask', via: 'display-name' });
const worker = memberOf(processOf(903, 812, ['/usr/sbin/apache2', '-k', 'start']), {
  role: 'worker',
  via: 'process-tree',
});
const cut = memberOf(processOf(904, 812, ['(wsgi:dj']), {
  via: 'ambiguous',
  candidates: ['django', 'djangoadmin'],
});

describe('toPsRecords', () => {
  it('lists the parent first, then its children by pid, with what each rests on', () => {
    const records = toPsRecords([instanceOf(812, [django, worker, flask])]);
    assert.deepEqual(
      records.map((record) => [
        record.pid,
        record.role,
        record.group,
        record.via,
        record.evidence,
        record.verified,
      ]),
      [
        [812, 'parent', null, 'process-tree', null, null],
        [901, 'daemon', 'flask', 'display-name', 'display-name', true],
        [902, 'daemon', 'django', 'socket', 'socket', true],
        [903, 'worker', null, 'process-tree', null, null],
      ],
    );
    assert.deepEqual(records[2], {
      pid: 902,
      ppid: 812,
      user: 'www-data',
      uid: 33,
      startedAt: '2026-11-21T09:00:02.000Z',
      role: 'daemon',
      group: 'django',
      via: 'socket',
      evidence: 'socket',
      candidates: [],
      verified: true,
      doubts: [],
      instance: 812,
      rssBytes: 902 * 1024,
      cmd: '(wsgi:django)',
      trusted: true,
      distrust: null,
    });
    assert.equal(records[0]?.cmd, '/usr/sbin/apache2 -k start');
    assert.ok(records.every((record) => !('service' in record)));
  });

  it("marks the daemons unverified with the instance's doubts, never the parent or workers", () => {
    const records = toPsRecords([
      instanceOf(812, [django, worker], ['the config changed since Apache read it']),
    ]);
    assert.deepEqual(
      records.map((record) => [record.pid, record.verified, record.doubts]),
      [
        [812, null, []],
        [902, false, ['the config changed since Apache read it']],
        [903, null, []],
      ],
    );
    // Unverified means unlabelled: the daemon's evidence, not the group it would be read as.
    const daemon = records[1] as unknown as Record<string, unknown>;
    assert.deepEqual(
      [daemon.group, daemon.socketId, daemon.socketPath, daemon.displayName],
      [null, 1, '/run/wsgi.812.0.1.sock', '(wsgi:django)'],
    );
  });

  it('with group names keeps only the daemons that are or could be theirs', () => {
    const instances = [instanceOf(812, [django, worker, flask, cut])];
    assert.deepEqual(
      toPsRecords(instances, ['django']).map((record) => record.pid),
      [902, 904],
    );
    assert.deepEqual(
      toPsRecords(instances, ['flask']).map((record) => record.pid),
      [901],
    );
    assert.deepEqual(toPsRecords(instances, ['nope']), []);
  });

  it("adds the Windows service of each instance's parent", () => {
    const records = toPsRecords(
      [instanceOf(812, [django]), instanceOf(820, [])],
      [],
      new Map([[812, 'Apache2.4']]),
    );
    assert.deepEqual(
      records.map((record) => [record.pid, record.service]),
      [
        [812, 'Apache2.4'],
        [902, 'Apache2.4'],
        [820, undefined],
      ],
    );
  });

  it('lists orphaned daemons last, with the parent their socket names, filtered by group too', () => {
    const orphans: OrphanDaemon[] = [
      { process: processOf(950, 1, ['(wsgi:django)']), group: 'django', formerParent: 700 },
      { process: processOf(951, 1, ['(wsgi:?)']), group: null, formerParent: null },
    ];
    const records = toPsRecords([instanceOf(812, [flask])], [], undefined, orphans);
    assert.deepEqual(
      records.map((record) => [
        record.pid,
        record.role,
        record.group,
        record.evidence,
        record.instance,
        record.verified,
      ]),
      [
        [812, 'parent', null, null, 812, null],
        [901, 'daemon', 'flask', 'display-name', 812, true],
        [950, 'orphan', 'django', 'display-name', 700, null],
        [951, 'orphan', null, null, null, null],
      ],
    );
    assert.deepEqual(
      toPsRecords([], ['django'], undefined, orphans).map((record) => record.pid),
      [950],
    );
  });
});
