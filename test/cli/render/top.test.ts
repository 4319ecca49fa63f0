import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PLAIN } from '../../../src/cli/color.js';
import { renderTop } from '../../../src/cli/render/top.js';
import type { TopGroup, TopSnapshot } from '../../../src/top/types.js';

const AT = '2026-12-03T13:00:00.000Z';
const HOUR_AGO = '2026-12-03T12:00:00.000Z';

function group(name: string, fields: Partial<TopGroup> = {}): TopGroup {
  return {
    instance: 812,
    group: name,
    up: 1,
    configured: 2,
    cpuPercent: 12.5,
    rssBytes: 50 << 20,
    inFlight: 1,
    restarts: 0,
    restartsSince: HOUR_AGO,
    restartsUnknown: null,
    reasons: {},
    lastRestart: null,
    members: [
      {
        pid: 4242,
        startedAt: AT,
        uptimeMs: 90_000,
        cpuPercent: 12.5,
        rssBytes: 50 << 20,
        threads: 17,
        inFlight: 1,
        state: 'serving',
      },
    ],
    ...fields,
  };
}

function snapshot(groups: TopGroup[]): TopSnapshot {
  return { at: AT, cpuWindow: 'interval', windowMs: 2000, restartsSince: HOUR_AGO, groups, notes: [] };
}

describe('renderTop', () => {
  it('a row per group, its members when expanded, the last restart with its reason and age', () => {
    const lines = renderTop(
      snapshot([
        group('django', {
          restarts: 3,
          lastRestart: {
            pid: 4100,
            reason: 'maximum-requests',
            at: '2026-12-03T12:58:00.000Z',
            status: 'exit code 0',
          },
        }),
        group('admin'),
      ]),
      { color: PLAIN, expanded: new Set(['812 django']), selected: 1, now: Date.parse(AT) },
    );
    assert.match(
      lines[0] ?? '',
      /^ {2}INSTANCE +GROUP +UP +CPU% +RSS +INFLIGHT +RESTARTS\/1h +LAST RESTART$/,
    );
    assert.match(
      lines[1] ?? '',
      /^ {2}812 +django +1\/2 +12\.5 +50M +1 +3 +maximum-requests 2m00s ago \(pid 4100\)$/,
    );
    assert.match(lines[2] ?? '', /^ {4}PID +UPTIME +CPU% +RSS +THREADS +INFLIGHT +STATE$/);
    assert.match(lines[3] ?? '', /^ {4}4242 +1m30s +12\.5 +50M +17 +1 +serving$/);
    assert.match(lines[4] ?? '', /^> 812 +admin +1\/2 .* 0 +-$/);
    assert.equal(lines.length, 5);
  });

  it('restarts that cannot be counted show ?, and why is said once; a cut log says since when', () => {
    const why = 'LogLevel warn hides mod_wsgi’s restart lines';
    const lines = renderTop(
      snapshot([
        group('a', { restarts: null, restartsUnknown: why }),
        group('b', { restarts: null, restartsUnknown: why }),
        group('c', { restarts: 2, restartsSince: '2026-12-03T12:40:00.000Z' }),
      ]),
      { color: PLAIN, expanded: new Set(), now: Date.parse(AT) },
    );
    assert.match(lines[1] ?? '', / a .* \? *$/);
    assert.match(lines[3] ?? '', / c .* 2 since \d\d:40 +-$/);
    assert.equal(lines.filter((line) => line.includes(why)).length, 1);
  });
});
