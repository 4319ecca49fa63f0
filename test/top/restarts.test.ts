import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseLogLine } from '../../src/errorlog/parse.js';
import { collectRestarts, findStopping, type LifeEvent, readLifeEvent } from '../../src/top/restarts.js';
import { REPO } from '../helpers/cli.js';

const T = '[Thu Dec 03 13:10:07.123456 2026]';

/** Lines as mod_wsgi 4.9.4 wrote them here (a maximum-requests=1 group, a reload, a SIGKILL). */
const LINES_4 = [
  `${T} [wsgi:info] [pid 19087:tid 19127] mod_wsgi (pid=19087): Maximum requests reached, triggering immediate shutdown 'once'.`,
  `${T} [wsgi:info] [pid 19087:tid 19087] mod_wsgi (pid=19087): Shutdown requested 'once'.`,
  `${T} [wsgi:info] [pid 19087:tid 19087] mod_wsgi (pid=19087): Exiting process 'once'.`,
  `${T} [wsgi:info] [pid 19080:tid 19080] mod_wsgi (pid=19087): Process 'once' has died, deregister and restart it.`,
  `${T} [wsgi:info] [pid 19080:tid 19080] mod_wsgi (pid=19087): Process 'once' terminated normally, exit code 0`,
  `${T} [wsgi:info] [pid 19086:tid 19086] mod_wsgi (pid=19086): Shutdown requested 'web'.`,
  `${T} [wsgi:info] [pid 19080:tid 19080] mod_wsgi (pid=19086): Process 'web' terminated normally, exit code 0`,
  `${T} [wsgi:info] [pid 19080:tid 19080] mod_wsgi (pid=20214): Process 'web' terminated by signal 9`,
];

/** The same events as mod_wsgi 6.0.5 words them. */
const LINES_6 = [
  `${T} [wsgi:info] [pid 22486:tid 22490] Maximum requests reached; triggering immediate shutdown of daemon process 'once'.`,
  `${T} [wsgi:info] [pid 22486:tid 22486] Shutdown requested for daemon process 'once'.`,
  `${T} [wsgi:info] [pid 22430:tid 22430] Process 'once' (pid=22486) has died; deregistering and restarting it.`,
  `${T} [wsgi:info] [pid 22430:tid 22430] Process 'once' (pid=22486) terminated normally, exit code 0`,
  `${T} [wsgi:info] [pid 22431:tid 22431] Shutdown requested for daemon process 'web'.`,
  `${T} [wsgi:info] [pid 22430:tid 22430] Process 'web' (pid=22431) terminated normally, exit code 0`,
  `${T} [wsgi:info] [pid 22430:tid 22430] Process 'web' (pid=22801) terminated by signal 9`,
];

function eventsOf(lines: string[], atMs = 1000): LifeEvent[] {
  return lines.flatMap((raw) => readLifeEvent(parseLogLine(raw), atMs) ?? []);
}

describe('readLifeEvent', () => {
  for (const [version, lines, pids] of [
    ['4.x/5.x', LINES_4, [19087, 19086, 20214]],
    ['6.x', LINES_6, [22486, 22431, 22801]],
  ] as const) {
    it(`reads ${version}'s reasons, written by the daemon, and the parent's deaths naming the daemon`, () => {
      const events = eventsOf([...lines]);
      const [once, web, killed] = pids;
      assert.deepEqual(
        events.map((event) => [
          event.kind,
          event.group,
          event.pid,
          'reason' in event ? event.reason : event.status,
        ]),
        [
          ['stop', 'once', once, 'maximum-requests'],
          ['stop', 'once', once, 'reload'],
          ['death', 'once', once, 'exit code 0'],
          ['stop', 'web', web, 'reload'],
          ['death', 'web', web, 'exit code 0'],
          ['death', 'web', killed, 'signal 9'],
        ],
      );
    });
  }

  it('reads the timers and limits that end a daemon', () => {
    const reasons = [
      ["mod_wsgi (pid=5): Application restart timer expired, stopping process 'g'.", 'restart-interval'],
      [
        "mod_wsgi (pid=5): Daemon process idle inactivity timer expired, stopping process 'g'.",
        'inactivity-timeout',
      ],
      ["Daemon process request time limit exceeded, stopping daemon process 'g'.", 'request-timeout'],
      ["Daemon process deadlock timer expired, stopping daemon process 'g'.", 'deadlock-timeout'],
      ["Application startup timer expired, stopping daemon process 'g'.", 'startup-timeout'],
      ["Exceeded CPU time limit; triggering immediate shutdown of daemon process 'g'.", 'cpu-time-limit'],
      [
        "Process eviction requested; waiting for in-flight requests to complete in daemon process 'g'.",
        'reload',
      ],
    ];
    for (const [message, reason] of reasons) {
      const event = readLifeEvent(parseLogLine(`${T} [wsgi:info] [pid 5:tid 6] ${message}`), 0);
      assert.equal(event?.kind === 'stop' && event.reason, reason, message);
    }
  });

  it('ignores other modules, other wsgi lines, and a line that only looks like one', () => {
    for (const raw of [
      `${T} [core:info] [pid 5:tid 6] Shutdown requested 'g'.`,
      `${T} [wsgi:info] [pid 5:tid 6] mod_wsgi (pid=5): Starting process 'g' with uid=33, gid=33 and threads=2.`,
      `${T} [wsgi:error] [pid 5:tid 6] [remote 127.0.0.1:1] print("Shutdown requested 'g'")`,
      "Shutdown requested for daemon process 'g'.",
    ]) {
      assert.equal(readLifeEvent(parseLogLine(raw), 0), null, raw);
    }
  });
});

describe('collectRestarts', () => {
  it('counts deaths with the first reason their daemon gave; a death with none is a crash', () => {
    for (const lines of [LINES_4, LINES_6]) {
      const events = eventsOf(lines);
      assert.deepEqual(
        collectRestarts(events, 'once', 0).map((restart) => restart.reason),
        ['maximum-requests'],
      );
      assert.deepEqual(
        collectRestarts(events, 'web', 0).map((restart) => restart.reason),
        ['reload', 'crash'],
      );
    }
  });

  it('counts only deaths since the moment, but keeps a reason given before it', () => {
    const events: LifeEvent[] = [
      { kind: 'stop', group: 'g', pid: 7, reason: 'restart-interval', atMs: 100 },
      { kind: 'death', group: 'g', pid: 8, status: 'exit code 0', atMs: 150 },
      { kind: 'death', group: 'g', pid: 7, status: 'exit code 0', atMs: 300 },
    ];
    assert.deepEqual(collectRestarts(events, 'g', 200), [
      { pid: 7, reason: 'restart-interval', atMs: 300, status: 'exit code 0' },
    ]);
    assert.equal(collectRestarts(events, 'g', 0)[0]?.reason, 'exited');
  });

  it('a pid used again later is another process: its reason is not carried over', () => {
    const events: LifeEvent[] = [
      { kind: 'stop', group: 'g', pid: 7, reason: 'maximum-requests', atMs: 1 },
      { kind: 'death', group: 'g', pid: 7, status: 'exit code 0', atMs: 2 },
      { kind: 'death', group: 'g', pid: 7, status: 'signal 11', atMs: 3 },
    ];
    assert.deepEqual(
      collectRestarts(events, 'g', 0).map((restart) => restart.reason),
      ['maximum-requests', 'crash'],
    );
  });

  it("Apache's own stop or restart is apache-restart", () => {
    const [event] = eventsOf([
      `${T} [wsgi:info] [pid 1:tid 1] Process 'g' (pid=9) has died but server is being stopped, deregister it.`,
    ]);
    assert.deepEqual(event && collectRestarts([event], 'g', 0)[0]?.reason, 'apache-restart');
  });
});

describe('findStopping', () => {
  it('the daemons that said they stop and have not died yet', () => {
    const events = eventsOf(LINES_6.slice(0, 5));
    assert.deepEqual([...findStopping(events, 'web').keys()], [22431]);
    assert.deepEqual([...findStopping(events, 'once').keys()], []);
  });
});

// The recordings of each version (test/fixtures/mod_wsgi/VERSION/, scripts/record-mod-wsgi-logs.mjs).
for (const version of ['4.9.4', '5.0.2', '6.0.5']) {
  describe(`collectRestarts over mod_wsgi ${version}'s recorded lines`, () => {
    const events = (name: string): LifeEvent[] =>
      readFileSync(join(REPO, 'test/fixtures/mod_wsgi', version, `${name}.log`), 'utf8')
        .split('\n')
        .filter((raw) => raw !== '')
        .map((raw, i) => readLifeEvent(parseLogLine(raw), i))
        .filter((event): event is LifeEvent => event !== null);

    it('a reload and a graceful reload: each of django’s 2 daemons restarted, reason reload', () => {
      for (const name of ['reload', 'graceful']) {
        const restarts = collectRestarts(events(name), 'django', 0);
        assert.deepEqual(
          restarts.map((restart) => [restart.reason, restart.status]),
          [
            ['reload', 'exit code 0'],
            ['reload', 'exit code 0'],
          ],
          name,
        );
      }
    });

    it('maximum-requests=1: two restarts, reason maximum-requests; a segfault at import: crashes', () => {
      const churn = collectRestarts(events('maximum-requests'), 'churn', 0);
      assert.deepEqual(
        churn.map((restart) => restart.reason),
        ['maximum-requests', 'maximum-requests'],
      );
      const crashes = collectRestarts(events('crash'), 'django', 0).filter(
        (restart) => restart.status === 'signal 11',
      );
      assert.ok(crashes.length >= 2, `${crashes.length} crashes`);
      for (const crash of crashes) assert.equal(crash.reason, 'crash');
    });
  });
}
