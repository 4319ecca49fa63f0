import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseLogText } from '../../../src/errorlog/parse.js';
import { classifyEnds } from '../../../src/reload/confirm/evidence.js';
import { REPO } from '../../helpers/cli.js';

const fixture = (name: string) =>
  parseLogText(readFileSync(`${REPO}/test/fixtures/mod_wsgi/${name}`, 'utf8'), true);

describe('classifyEnds (recorded mod_wsgi 4.9.4 lines)', () => {
  it('maximum-requests, exit code 0 and a SIGKILL from someone are churn, each with its reason', () => {
    const ends = classifyEnds(fixture('churn-max-requests-4.9.log'), 'churn', [28748, 28789, 28821, 28840]);
    assert.deepEqual(
      [...ends].map(([pid, end]) => [pid, end.kind, end.why]),
      [
        [28748, 'churn', 'ended normally (exit code 0)'],
        [28789, 'churn', 'maximum-requests reached'],
        [28821, 'churn', 'ended by signal 9, sent by another process'],
      ],
    );
    assert.match(
      ends.get(28789)?.line ?? '',
      /Maximum requests reached, triggering immediate shutdown 'churn'/,
    );
    // 28840 was still up when the recording ended: the log says nothing of its end.
    assert.equal(ends.has(28840), false);
  });

  it('a segfault at import is a crash, by AH00052 (written at any LogLevel), which outweighs the rest', () => {
    const ends = classifyEnds(fixture('crash-loop-segfault-4.9.log'), 'django', [6246, 6306, 6307, 6393]);
    assert.equal(ends.get(6246)?.kind, 'churn', 'the old daemon, stopped by the reload');
    for (const pid of [6306, 6307, 6393]) {
      assert.equal(ends.get(pid)?.kind, 'crash');
      assert.equal(ends.get(pid)?.why, 'killed by signal 11, a fault of its own');
    }
    assert.match(ends.get(6306)?.line ?? '', /AH00052: child pid 6306 exit signal Segmentation fault \(11\)/);
    // At LogLevel warn only the AH00052 lines are left: still a crash.
    const warn = fixture('crash-loop-segfault-4.9.log').filter((line) => line.level !== 'info');
    assert.equal(classifyEnds(warn, 'django', [6306]).get(6306)?.kind, 'crash');
    // ... and an orderly end leaves nothing to go by: no evidence, not a crash.
    assert.equal(classifyEnds(warn, 'django', [6246]).size, 0);
  });
});

describe('classifyEnds (other wordings)', () => {
  const line = (pid: number, text: string, level = 'info') =>
    `[Wed Dec 02 14:47:27.911862 2026] [wsgi:${level}] [pid ${pid}:tid ${pid}] ${text}`;

  it("mod_wsgi 6.x: `Process 'G' (pid=N) ...` from the parent, `...; triggering` from the daemon", () => {
    const lines = parseLogText(
      [
        line(100, "Process 'g' (pid=101) terminated normally, exit code 0"),
        line(100, "Process 'g' (pid=102) terminated by signal 11"),
        line(103, "Maximum requests reached; triggering immediate shutdown 'g'."),
        line(100, "Process 'g' (pid=104) terminated normally, exit code 1"),
        line(100, "Process 'other' (pid=105) terminated by signal 11"),
      ].join('\n'),
      true,
    );
    const ends = classifyEnds(lines, 'g', [101, 102, 103, 104, 105]);
    assert.deepEqual(
      [...ends].map(([pid, end]) => [pid, end.kind]),
      [
        [101, 'churn'],
        [102, 'crash'],
        [103, 'churn'],
        [104, 'crash'],
      ],
    );
    assert.equal(ends.get(104)?.why, 'exited with code 1');
  });

  it("a daemon that could not start is a crash; mod_wsgi's timeouts and eviction are churn", () => {
    const lines = parseLogText(
      [
        line(201, "mod_wsgi (pid=201): Couldn't bind unix domain socket '/run/wsgi.1.0.1.sock'.", 'alert'),
        line(202, "mod_wsgi (pid=202): Daemon process idle inactivity timer expired, stopping process 'g'."),
        line(203, "mod_wsgi (pid=203): Application restart timer expired, stopping process 'g'."),
        line(204, "mod_wsgi (pid=204): Process eviction requested, triggering immediate shutdown 'g'."),
        line(205, "mod_wsgi (pid=205): Daemon process deadlock timer expired, stopping process 'g'."),
      ].join('\n'),
      true,
    );
    const ends = classifyEnds(lines, 'g', [201, 202, 203, 204, 205]);
    assert.deepEqual(
      [...ends].map(([pid, end]) => [pid, end.kind, end.why]),
      [
        [201, 'crash', 'it could not start'],
        [202, 'churn', 'inactivity-timeout expired'],
        [203, 'churn', 'restart-interval expired'],
        [204, 'churn', 'eviction requested (SIGUSR1)'],
        [205, 'churn', 'deadlock-timeout expired'],
      ],
    );
  });
});
