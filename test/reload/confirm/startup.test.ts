import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLogText } from '../../../src/errorlog/parse.js';
import { findStartupFailures } from '../../../src/reload/confirm/startup.js';

// Recorded from this sandbox: a daemon whose home= it may not enter, on each mod_wsgi.
const V4 = `[Thu Dec 03 13:28:15.451341 2026] [wsgi:alert] [pid 23776:tid 23776] (13)Permission denied: mod_wsgi (pid=23776): Unable to change working directory to '/tmp/wsgictl-home-4va39c'.
[Thu Dec 03 13:28:15.451354 2026] [wsgi:alert] [pid 23776:tid 23776] mod_wsgi (pid=23776): Failure to configure the daemon process correctly and process left in unspecified state. Restarting daemon process after delay.
[Thu Dec 03 13:28:15.457362 2026] [wsgi:alert] [pid 23777:tid 23777] (13)Permission denied: mod_wsgi (pid=23777): Unable to change working directory to '/tmp/wsgictl-home-4va39c'.
`;
const V5 = `[Thu Dec 03 13:29:10.949503 2026] [wsgi:alert] [pid 30106:tid 30106] (13)Permission denied: mod_wsgi (pid=30106): Unable to change working directory to '/tmp/wsgictl-home-ctv63Y'.
[Thu Dec 03 13:29:10.949519 2026] [wsgi:alert] [pid 30106:tid 30106] mod_wsgi (pid=30106): Failure to configure the daemon process correctly and process left in unspecified state. Restarting daemon process after delay.
`;
const V6 = `[Thu Dec 03 13:29:13.350107 2026] [wsgi:alert] [pid 30660:tid 30660] (13)Permission denied: WSGI0009: Unable to change working directory to '/tmp/wsgictl-home-Nlg159'. Daemon process will exit.
[Thu Dec 03 13:29:13.350120 2026] [wsgi:alert] [pid 30660:tid 30660] WSGI0025: Daemon process configuration failed; process left in unspecified state. Daemon process will exit and be restarted after a delay.
`;

describe('findStartupFailures', () => {
  it('reads 4.9.4: the failure, with the cause the daemon gave first; not one whose failure line is not written yet', () => {
    const found = findStartupFailures(parseLogText(V4), [23776, 23777]);
    assert.deepEqual(
      found.map((each) => [each.pid, each.lines.length]),
      [[23776, 2]],
    );
    assert.match(found[0]?.lines[0] ?? '', /Unable to change working directory/);
    assert.match(found[0]?.lines[1] ?? '', /Failure to configure the daemon process/);
  });

  it('reads 5.0.2 and 6.0.5 alike', () => {
    assert.deepEqual(
      findStartupFailures(parseLogText(V5), [30106]).map((each) => each.pid),
      [30106],
    );
    const [v6] = findStartupFailures(parseLogText(V6), [30660]);
    assert.deepEqual(
      v6?.lines.map((line) => /WSGI00(\d\d)/.exec(line)?.[1]),
      ['09', '25'],
    );
  });

  it("only the given daemons' own lines count: not an old member's, not another group's", () => {
    assert.deepEqual(findStartupFailures(parseLogText(V4 + V5 + V6), [1, 2]), []);
    assert.deepEqual(
      findStartupFailures(parseLogText(V6), [30660, 30106]).map((each) => each.pid),
      [30660],
    );
  });
});
