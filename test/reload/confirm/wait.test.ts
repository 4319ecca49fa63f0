import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLogLine } from '../../../src/errorlog/parse.js';
import type { InstanceContext } from '../../../src/groups/identify.js';
import { findStillRunning, readGroup, waitForReplacements } from '../../../src/reload/confirm/wait.js';
import { PARENT, proc, scriptedSource } from '../../helpers/processes.js';

/** The instance as planned, with no readable listeners: an uncut `(wsgi:NAME)` names its group. */
const CONTEXT: InstanceContext = { parentPid: PARENT, argv0Length: 7, groups: [], listeners: null };

const noSleep = async () => {};
const segfault = (pid: number) =>
  parseLogLine(
    `[Mon Nov 23 09:17:25.642883 2026] [core:notice] [pid ${PARENT}:tid ${PARENT}] AH00052: child pid ${pid} exit signal Segmentation fault (11)`,
  );

describe('readGroup', () => {
  it("lists the group's daemons under this parent, pid -> start key, and nothing else", async () => {
    const source = scriptedSource(() => [
      proc(201, { startKey: '11' }),
      proc(202, { startKey: '12' }),
      proc(203, { argv: ['(wsgi:flask)'] }),
      proc(204, { argv: ['/usr/sbin/apache2', '-k', 'start'] }), // a worker
      proc(205, { ppid: 999 }), // another Apache's daemon
      proc(206, { comm: 'python3' }), // not Apache at all, whatever its argv[0]
    ]);
    const { members } = await readGroup(source, CONTEXT, 'django');
    assert.deepEqual(
      [...members],
      [
        [201, '11'],
        [202, '12'],
      ],
    );
    assert.deepEqual([...(await readGroup(source, CONTEXT, 'flask')).members.keys()], [203]);
    assert.equal((await readGroup(source, CONTEXT, 'nosuch')).members.size, 0);
  });
});

describe('findStillRunning', () => {
  it('keeps only the signalled processes still running as the same process (pid and start key)', async () => {
    const source = scriptedSource(() => [proc(201), proc(202, { startKey: '2' })]);
    const signalled = [proc(201), proc(202), proc(203)];
    assert.deepEqual([...(await findStillRunning(source, signalled))], [201]);
    assert.deepEqual([...(await findStillRunning(source, []))], []);
  });
});

describe('waitForReplacements', () => {
  const before = [proc(201), proc(202)];

  it('is done once every signalled process is gone and the replacements are there', async () => {
    // The old daemons are there at the first poll, then only their replacements, for as long as it asks.
    const source = scriptedSource((n) => (n === 0 ? before : [proc(301), proc(302)]));
    const result = await waitForReplacements({
      source,
      context: CONTEXT,
      group: 'django',
      before,
      signalled: before,
      replacements: 2,
      deadline: Date.now() + 600_000,
      sleep: noSleep,
    });
    assert.equal(result.done, true);
    assert.deepEqual(result.newPids, [301, 302]);
    assert.equal(result.crashLoop, false);
    assert.deepEqual(result.died, []);
    assert.deepEqual([...(result.members?.keys() ?? [])], [301, 302]);
  });

  it('is not done when the deadline passes with a signalled process still running', async () => {
    const source = scriptedSource(() => [proc(201), proc(301)]);
    const result = await waitForReplacements({
      source,
      context: CONTEXT,
      group: 'django',
      before,
      signalled: before,
      replacements: 2,
      deadline: Date.now() - 1,
      sleep: noSleep,
    });
    assert.equal(result.done, false);
    assert.equal(result.crashLoop, false);
    assert.deepEqual(result.newPids, [301]);
  });

  it('stops as a crash loop once two replacements have died by a fault of their own', async () => {
    // Every poll shows a new daemon; the one before it is gone, killed by SIGSEGV by the log.
    const pidAt = (n: number) => 300 + n;
    const source = scriptedSource((n) => [proc(pidAt(n))]);
    const result = await waitForReplacements({
      source,
      context: CONTEXT,
      group: 'django',
      before,
      signalled: before,
      replacements: 2,
      deadline: Date.now() + 600_000,
      readEvidence: () => Array.from({ length: source.lists() }, (_, n) => segfault(pidAt(n))),
      sleep: noSleep,
    });
    assert.equal(result.crashLoop, true);
    assert.equal(result.done, false);
    // The first two replacements died; each death is told as the log tells it.
    assert.deepEqual(result.died?.slice(0, 2), [300, 301]);
    assert.deepEqual(result.ended?.slice(0, 2), [
      { pid: 300, kind: 'crash', why: 'killed by signal 11, a fault of its own', line: segfault(300).raw },
      { pid: 301, kind: 'crash', why: 'killed by signal 11, a fault of its own', line: segfault(301).raw },
    ]);
  });
});
