import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PLAIN } from '../../src/cli/color.js';
import { describeFiles, formatWatchEvent } from '../../src/cli/render-watch.js';

describe('watch report', () => {
  it('shows paths below the working directory relative, others whole', () => {
    assert.equal(describeFiles(['/srv/app/src/a.py', '/tmp/x/b.py'], '/srv/app'), 'src/a.py, /tmp/x/b.py');
    assert.equal(describeFiles(['/a/1.py', '/a/2.py', '/a/3.py', '/a/4.py'], '/a'), '1.py, 2.py and 2 more');
  });

  it('prints one line per group reload with old -> new pids and the time', () => {
    const line = formatWatchEvent(
      {
        event: 'reload',
        files: ['/srv/app/src/views.py'],
        action: 'group',
        instance: 812,
        group: 'django',
        signal: 'SIGINT',
        oldPids: [1201, 1202],
        newPids: [1310, 1311],
        ms: 840,
        outcome: 'replaced',
        skipped: [],
        missing: 0,
        members: [
          { pid: 1201, state: 'replaced', newPid: 1310 },
          { pid: 1202, state: 'replaced', newPid: 1311 },
        ],
      },
      PLAIN,
      '/srv/app',
      new Date(2026, 0, 1, 18, 22, 40),
    );
    assert.equal(
      line,
      '18:22:40 src/views.py -> django (Apache pid 812) SIGINT: 1201 1202 -> 1310 1311 in 0.84s',
    );
  });

  it('says at a timeout what became of every process, a draining one included', () => {
    const line = formatWatchEvent(
      {
        event: 'reload',
        files: ['/srv/app/src/views.py'],
        action: 'group',
        instance: 812,
        group: 'django',
        signal: 'SIGUSR1',
        oldPids: [1201, 1202, 1203],
        newPids: [1310],
        ms: 3000,
        outcome: 'timeout',
        skipped: [],
        missing: 1,
        members: [
          { pid: 1201, state: 'replaced', newPid: 1310 },
          { pid: 1202, state: 'draining' },
          { pid: 1203, state: 'not-signalled' },
        ],
      },
      PLAIN,
      '/srv/app',
      new Date(2026, 0, 1, 18, 22, 40),
    );
    assert.equal(
      line,
      '18:22:40 src/views.py -> django (Apache pid 812) SIGUSR1: 1201 1202 1203 -> 1310 timeout after 3.00s: 1 replaced, 1 still draining, 1 not signalled',
    );
  });
});
