import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLogText } from '../../src/errorlog/parse.js';
import { judgeProcesses } from '../../src/reload/canary.js';

const LOADED_V4 =
  "[Thu Dec 03 13:50:01.000001 2026] [wsgi:info] [pid 41:tid 41] mod_wsgi (pid=41, process='django', application=''): Loading Python script file '/srv/app/shop.wsgi'.\n";
const LOADED_V6 =
  "[Thu Dec 03 13:50:01.000001 2026] [wsgi:info] [pid 41:tid 41] Loading WSGI script '/srv/app/shop.wsgi' into main interpreter of daemon process 'django'.\n";
const FAILED_V4 = `[Thu Dec 03 13:50:01.000002 2026] [wsgi:error] [pid 41:tid 41] mod_wsgi (pid=41): Failed to exec Python script file '/srv/app/shop.wsgi'.
[Thu Dec 03 13:50:01.000003 2026] [wsgi:error] [pid 41:tid 41] Traceback (most recent call last):
[Thu Dec 03 13:50:01.000004 2026] [wsgi:error] [pid 41:tid 41] RuntimeError: broken release
`;
const OTHER = '[Thu Dec 03 13:50:01.000005 2026] [wsgi:error] [pid 7:tid 7] RuntimeError: not ours\n';

describe('judgeProcesses', () => {
  it('proves a replacement that loaded its script, logged no error and still runs', () => {
    for (const text of [LOADED_V4, LOADED_V6]) {
      assert.deepEqual(judgeProcesses(parseLogText(text + OTHER), [41], new Set([41])), {
        ok: true,
        pids: [41],
        loaded: true,
        lines: [],
      });
    }
  });

  it('fails one whose script raised as it loaded, with its own lines only', () => {
    const proof = judgeProcesses(parseLogText(LOADED_V4 + FAILED_V4 + OTHER), [41], new Set([41]));
    assert.equal(proof.ok, false);
    assert.equal(proof.reason, 'its WSGI script raised an exception as it loaded');
    assert.deepEqual(
      proof.lines.map((line) => line.replace(/^.*\[pid 41:tid 41\] /, '')),
      [
        "mod_wsgi (pid=41): Failed to exec Python script file '/srv/app/shop.wsgi'.",
        'Traceback (most recent call last):',
        'RuntimeError: broken release',
      ],
    );
  });

  it('fails one that exited after it came up, even with a quiet log (LogLevel warn)', () => {
    const proof = judgeProcesses([], [41, 42], new Set([41]));
    assert.deepEqual(
      [proof.ok, proof.reason, proof.loaded],
      [false, 'pid 42 exited after it started', false],
    );
  });
});
