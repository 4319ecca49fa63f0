import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { PLAIN } from '../../../src/cli/color.js';
import { describeFiles, formatWatchEvent } from '../../../src/cli/render/watch.js';
import type { WatchEvent } from '../../../src/watch/loop.js';

// Paths as the watcher reports them on this platform (`C:\srv\app\src\views.py` on Windows), and shown
// with the platform's own separator: what a user would type there.
const APP = resolve('/srv/app');
const VIEWS = join(APP, 'src', 'views.py');
const SHOWN_VIEWS = join('src', 'views.py');

describe('watch report', () => {
  it('shows paths below the working directory relative, others whole', () => {
    const other = resolve('/tmp/x/b.py');
    assert.equal(describeFiles([join(APP, 'src', 'a.py'), other], APP), `${join('src', 'a.py')}, ${other}`);
    const a = resolve('/a');
    const four = ['1.py', '2.py', '3.py', '4.py'].map((name) => join(a, name));
    assert.equal(describeFiles(four, a), '1.py, 2.py and 2 more');
  });

  it('prints one line per group reload with old -> new pids and the time; the host with --host', () => {
    const event: WatchEvent = {
      event: 'reload',
      files: [VIEWS],
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
    };
    const at = new Date(2026, 0, 1, 18, 22, 40);
    assert.equal(
      formatWatchEvent(event, PLAIN, APP, at),
      `18:22:40 ${SHOWN_VIEWS} -> django (Apache pid 812) SIGINT: 1201 1202 -> 1310 1311 in 0.84s`,
    );
    assert.equal(
      formatWatchEvent({ ...event, host: 'devvm' }, PLAIN, APP, at),
      `18:22:40 ${SHOWN_VIEWS} -> django on devvm (Apache pid 812) SIGINT: 1201 1202 -> 1310 1311 in 0.84s`,
    );
  });

  it('says at a timeout what became of every process, a draining one included', () => {
    const line = formatWatchEvent(
      {
        event: 'reload',
        files: [VIEWS],
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
      APP,
      new Date(2026, 0, 1, 18, 22, 40),
    );
    assert.equal(
      line,
      `18:22:40 ${SHOWN_VIEWS} -> django (Apache pid 812) SIGUSR1: 1201 1202 1203 -> 1310 timeout after 3.00s: 1 replaced, 1 still draining, 1 not signalled`,
    );
  });
});

describe('formatWatchEvent notices', () => {
  it('a warning reads as one, not as an error', () => {
    const at = new Date(2026, 0, 1, 9, 0, 0);
    const message = 'devvm runs wsgictl 0.1.0, this one is 0.2.0: install the same version on both';
    assert.equal(
      formatWatchEvent({ event: 'error', code: 'VERSION', message, warning: true }, PLAIN, APP, at),
      `09:00:00 warning: ${message}`,
    );
    assert.equal(
      formatWatchEvent({ event: 'error', code: 'FAILED', message: 'boom' }, PLAIN, APP, at),
      '09:00:00 error: boom',
    );
  });
});
