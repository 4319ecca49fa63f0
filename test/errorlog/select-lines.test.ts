import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseLogLine, parseLogText } from '../../src/errorlog/parse.js';
import { groupBlocks, selectGroupLines } from '../../src/errorlog/select-lines.js';
import { REPO } from '../helpers/cli.js';

/** Recorded from this machine's Apache 2.4 + mod_wsgi 4.9.4: see test/fixtures/mod_wsgi/SOURCES.md. */
function fixture(name: string) {
  return parseLogText(readFileSync(`${REPO}/test/fixtures/mod_wsgi/${name}`, 'utf8'));
}

const NEW_DAEMONS = new Set([5434, 5435]);
/** The daemons the recorded reload replaced: the parent's notices of their exit are expected, not news. */
const OLD_DAEMONS = new Set([5386, 5387]);

describe('parseLogLine', () => {
  it('reads the fields of mod_wsgi 4.x and keeps a traceback line’s indentation', () => {
    const line = parseLogLine(
      '[Mon Nov 23 09:06:02.850033 2026] [wsgi:error] [pid 5434:tid 5438] [remote 127.0.0.1:40174]   File "/srv/shop.wsgi", line 3, in <module>',
    );
    assert.deepEqual(
      [line.module, line.level, line.pid, line.tid, line.client, line.message],
      ['wsgi', 'error', 5434, 5438, '127.0.0.1:40174', '  File "/srv/shop.wsgi", line 3, in <module>'],
    );
  });

  it('keeps a line of another format as text, with its pid when it names one', () => {
    assert.deepEqual(
      [parseLogLine('Fatal Python error: init').pid, parseLogLine('x [pid 7] y').pid],
      [null, 7],
    );
  });
});

// Each version's own recording: test/errorlog/wording.test.ts.
for (const [name, version] of [['syntax-error-4.9.log', '4.9 (recorded)']] as const) {
  describe(`a SyntaxError in an imported module, mod_wsgi ${version}`, () => {
    const lines = selectGroupLines(fixture(name), {
      group: 'django',
      pids: NEW_DAEMONS,
      floor: 'warn',
      exclude: OLD_DAEMONS,
    });

    it('keeps the new daemons’ errors and the traceback, not the info lines nor the old daemons’', () => {
      assert.ok(lines.every((line) => line.level === 'error' && NEW_DAEMONS.has(line.pid ?? 0)));
      assert.ok(lines.some((line) => line.message === 'SyntaxError: invalid syntax'));
      assert.ok(lines.some((line) => /File ".*appmod\.py", line 1/.test(line.message)));
    });

    it('folds the same traceback from each daemon and request into one block, whole, in order', () => {
      const blocks = groupBlocks(lines);
      assert.equal(blocks.length, 1);
      const [block] = blocks;
      assert.deepEqual([block?.count, block?.pids], [3, [5434, 5435]]);
      const messages = (block?.lines ?? []).map((line) =>
        line.message.replace(/^mod_wsgi \(pid=\d+\): /, ''),
      );
      assert.deepEqual(messages, [
        "Failed to exec Python script file '/tmp/wsgictl-app-PYNd8o/shop.wsgi'.",
        "Exception occurred processing WSGI script '/tmp/wsgictl-app-PYNd8o/shop.wsgi'.",
        'Traceback (most recent call last):',
        '  File "/tmp/wsgictl-app-PYNd8o/shop.wsgi", line 3, in <module>',
        '    import appmod',
        '  File "/tmp/wsgictl-app-PYNd8o/appmod.py", line 1',
        '    def hello(:',
        '              ^',
        'SyntaxError: invalid syntax',
      ]);
    });
  });
}

describe('selectGroupLines', () => {
  it('keeps the parent’s notice that a daemon of the group died, though mod_wsgi logs it at info', () => {
    const lines = parseLogText(
      [
        "[Mon Nov 23 09:05:47.060121 2026] [wsgi:info] [pid 5261:tid 5261] mod_wsgi (pid=5262): Process 'django' terminated by signal 11",
        "[Mon Nov 23 09:05:47.060585 2026] [wsgi:info] [pid 5310:tid 5310] mod_wsgi (pid=5310): Starting process 'django' with uid=33, gid=33 and threads=2.",
        "[Mon Nov 23 09:05:47.060121 2026] [wsgi:info] [pid 5261:tid 5261] mod_wsgi (pid=5263): Process 'djangoadmin' terminated by signal 11",
        '',
      ].join('\n'),
    );
    const kept = selectGroupLines(lines, { group: 'django', pids: new Set([5310]), floor: 'warn' });
    assert.deepEqual(
      kept.map((line) => line.message),
      ["mod_wsgi (pid=5262): Process 'django' terminated by signal 11"],
    );
  });

  it('a line written raw to fd 2 follows the group line before it', () => {
    const lines = parseLogText(
      '[Mon Nov 23 09:05:47.0 2026] [wsgi:error] [pid 9:tid 9] boom\nFatal Python error: Segmentation fault\n[Mon Nov 23 09:05:47.0 2026] [core:notice] [pid 1:tid 1] other\nstray\n',
    );
    const kept = selectGroupLines(lines, { group: 'g', pids: new Set([9]), floor: 'warn' });
    assert.deepEqual(
      kept.map((line) => line.message),
      ['boom', 'Fatal Python error: Segmentation fault'],
    );
  });
});
