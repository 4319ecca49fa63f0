import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WsgictlError } from '../../src/errors.js';
import type { GroupReloadResult } from '../../src/reload/types.js';
import { type ActionNotice, createGroupAction } from '../../src/watch/actions.js';

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
    assert.equal(notices.length, 1);
    assert.equal(notices[0]?.waiting, true);
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
});
