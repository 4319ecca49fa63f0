import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type LogLine, parseLogText } from '../../src/errorlog/parse.js';
import { selectGroupLines } from '../../src/errorlog/select-lines.js';
import { findNamedPid, isDaemonOwnLine } from '../../src/errorlog/wording.js';
import { classifyEnds } from '../../src/reload/confirm/evidence.js';
import { parseStartedDaemons } from '../../src/sandbox/apache.js';
import { REPO } from '../helpers/cli.js';

// What each mod_wsgi version wrote, recorded by scripts/record-mod-wsgi-logs.mjs (see RECORDED.md beside them).
const VERSIONS = ['4.9.4', '5.0.2', '6.0.5'];
const EVENTS = [
  'start',
  'reload',
  'graceful',
  'maximum-requests',
  'traceback-at-import',
  'traceback-at-request',
];

function text(version: string, event: string): string {
  return readFileSync(join(REPO, 'test/fixtures/mod_wsgi', version, `${event}.log`), 'utf8');
}

function lines(version: string, event: string): LogLine[] {
  return parseLogText(text(version, event));
}

/** pid -> group of every daemon the recording saw start (the sandbox's own ground truth). */
function started(version: string, events: string[]): Map<number, string> {
  return parseStartedDaemons(events.map((event) => text(version, event)).join(''));
}

function pidsOf(daemons: Map<number, string>, group: string): number[] {
  return [...daemons].filter(([, g]) => g === group).map(([pid]) => pid);
}

for (const version of VERSIONS) {
  describe(`mod_wsgi ${version}'s recorded lines`, () => {
    it('a daemon’s own lines name its group; the parent’s lines are never taken for a daemon’s', () => {
      const all = EVENTS.flatMap((event) => lines(version, event));
      const truth = started(version, EVENTS);
      const parent = all.find((line) => /AH00489:/.test(line.message))?.pid;
      assert.ok(parent, 'the parent’s start line');
      for (const group of ['django', 'churn']) {
        const own = new Set(
          all.filter((line) => isDaemonOwnLine(line.message, group)).map((line) => line.pid),
        );
        assert.ok(!own.has(parent), `${group}: not the parent ${parent}`);
        assert.deepEqual([...own].sort(), pidsOf(truth, group).sort(), `${group}'s daemons`);
      }
    });

    it('logs G: the traceback of a daemon since replaced, learnt from its own lines; no other group’s', () => {
      const all = EVENTS.flatMap((event) => lines(version, event));
      const learn = new Set<number>();
      const kept = selectGroupLines(all, { group: 'django', pids: learn, floor: 'debug', learn }).map(
        (line) => line.message,
      );
      // The SyntaxError at import, from daemons that a later reload replaced.
      assert.ok(
        kept.some((message) => /^SyntaxError: invalid syntax/.test(message)),
        'the SyntaxError line',
      );
      assert.ok(kept.some((message) => /File ".*appmod\.py", line 1/.test(message)));
      // The request's exception, with 6.x's WSGI#### code kept as written.
      const raised = kept.filter((message) => /raise\.wsgi/.test(message) && /xception/.test(message));
      assert.equal(raised.length, 1, kept.join('\n'));
      if (version.startsWith('6.')) assert.match(raised[0] ?? '', /^WSGI\d{4}: /);
      assert.ok(kept.some((message) => message === 'RuntimeError: raised by the request'));
      assert.ok(!kept.some((message) => /'churn'/.test(message)), 'no line of group churn');
      assert.deepEqual(
        [...learn].sort(),
        pidsOf(started(version, EVENTS), 'django').sort(),
        'every django daemon learnt',
      );
    });

    it('why daemons ended: a reload’s SIGINT, a graceful SIGUSR1, maximum-requests, a crash, a failed start', () => {
      const before = started(version, ['start']);
      const django = pidsOf(before, 'django');
      const reload = classifyEnds(lines(version, 'reload'), 'django', django);
      assert.deepEqual(
        django.map((pid) => reload.get(pid)?.why),
        django.map(() => 'shutdown requested (SIGINT or SIGTERM)'),
      );

      const second = pidsOf(started(version, ['reload']), 'django');
      const graceful = classifyEnds(lines(version, 'graceful'), 'django', second);
      const sigusr1 = version.startsWith('6.')
        ? 'graceful restart requested (SIGUSR1)'
        : 'eviction requested (SIGUSR1)';
      assert.deepEqual(
        second.map((pid) => [graceful.get(pid)?.kind, graceful.get(pid)?.why]),
        second.map(() => ['churn', sigusr1]),
      );

      // Every churn daemon whose lines the file holds, by its own lines: each that ended, ended by its limit.
      const churnLines = lines(version, 'maximum-requests');
      const churn = [
        ...new Set(
          churnLines.filter((line) => isDaemonOwnLine(line.message, 'churn')).map((line) => line.pid),
        ),
      ].filter((pid): pid is number => pid !== null);
      const maximum = classifyEnds(churnLines, 'churn', churn);
      assert.ok(maximum.size >= 2, `two daemons ended, saw ${maximum.size}`);
      for (const end of maximum.values()) assert.equal(end.why, 'maximum-requests reached');

      const crashLines = lines(version, 'crash');
      const crashed = [...parseStartedDaemons(text(version, 'crash'))]
        .filter(([, g]) => g === 'django')
        .map(([pid]) => pid);
      const crash = classifyEnds(crashLines, 'django', crashed);
      const faults = [...crash.values()].filter((end) => end.kind === 'crash');
      assert.ok(faults.length >= 2, `at least two daemons seen crashing, saw ${faults.length}`);
      for (const end of faults) assert.equal(end.why, 'killed by signal 11, a fault of its own');

      const failed = pidsOf(started(version, ['startup-failure']), 'nohome');
      assert.equal(failed.length, 1);
      const startup = classifyEnds(lines(version, 'startup-failure'), 'nohome', failed);
      assert.deepEqual(
        [startup.get(failed[0] as number)?.kind, startup.get(failed[0] as number)?.why],
        ['crash', 'it could not start'],
      );
    });

    it('the pid a parent’s line is about, as each version names it', () => {
      const crashLines = lines(version, 'crash');
      const faulted = crashLines.find((line) => /terminated by signal 11/.test(line.message));
      assert.ok(faulted, 'the parent’s line about a crashed daemon');
      const named = findNamedPid(faulted.message);
      assert.ok(named !== null && named !== faulted.pid, faulted.message);
      assert.ok(parseStartedDaemons(text(version, 'crash')).has(named), `${named} is a daemon that started`);
    });
  });
}
