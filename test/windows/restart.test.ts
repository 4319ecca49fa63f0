import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessInfo } from '../../src/processes/types.js';
import type { Executor, RunResult } from '../../src/windows/exec.js';
import {
  planSteps,
  type RestartTarget,
  restartWindowsApache,
  STOP_START_NOTE,
} from '../../src/windows/restart.js';
import {
  type Call,
  cimProcesses,
  fail,
  fakeClock,
  fakeExecutor,
  fastlistProcesses,
  fixture,
  isCommand,
  isEvent,
  ok,
} from './fakes.js';

const SERVICE: RestartTarget = { parentPid: 4420, service: 'Apache2.4', serviceNote: '' };
const CONSOLE: RestartTarget = { parentPid: 5012, service: null, serviceNote: 'pid 5012 is not a service' };

const missing = fail(1, fixture('powershell-event-missing.txt'));
const denied = fail(1, fixture('powershell-event-denied.txt'));

/** A process list that shows the restarted Apache once a step that restarts it has succeeded. */
async function world(before: string, after: string) {
  const tables = { before: await fastlistProcesses(before), after: await fastlistProcesses(after) };
  let restarted = false;
  return {
    list: async (): Promise<ProcessInfo[]> => (restarted ? tables.after : tables.before),
    restart: (call: Call) => {
      if (!(call.file === 'net.exe' && call.args[0] === 'stop')) restarted = true;
    },
  };
}

function steps(calls: Call[]): string[] {
  return calls.map((call) =>
    call.file === 'powershell.exe'
      ? `powershell ${/OpenExisting\('([^']+)'/.exec(call.script ?? '')?.[1]}`
      : [call.file, ...call.args].join(' '),
  );
}

describe('restartWindowsApache: the decision chain', () => {
  it('a console Apache: the event ap<pid>_restart, confirmed by a new child; nothing else runs', async () => {
    const consoleAfter = fixture('fastlist-console-apache.txt').replace('6120\t5012', '6999\t5012');
    const before = await fastlistProcesses('fastlist-console-apache.txt');
    let restarted = false;
    const executor = fakeExecutor([[isEvent('ap5012_restart'), ok()]], () => (restarted = true));
    const { createPsListSource } = await import('../../src/processes/ps-list.js');
    const { fastlistDescriptors } = await import('./fakes.js');
    const after = (await createPsListSource(async () => fastlistDescriptors(consoleAfter)).list()).processes;
    const result = await restartWindowsApache(
      CONSOLE,
      { executor, list: async () => (restarted ? after : before), clock: fakeClock() },
      { timeoutMs: 10_000 },
    );
    assert.equal(result.outcome, 'restarted');
    assert.equal(result.method, 'event ap5012_restart');
    assert.deepEqual(result.oldChildren, [6120]);
    assert.equal(result.newChild, 6999);
    assert.deepEqual(steps(executor.calls), ['powershell ap5012_restart']);
  });

  it('a service seen from a user session: the local event is missing, Global\\ works', async () => {
    const w = await world('fastlist-service-apache.txt', 'fastlist-service-apache-restarted.txt');
    const executor = fakeExecutor(
      [
        [isEvent('ap4420_restart'), missing],
        [isEvent('Global\\ap4420_restart'), ok()],
      ],
      w.restart,
    );
    const result = await restartWindowsApache(
      SERVICE,
      { executor, list: w.list, clock: fakeClock() },
      { timeoutMs: 10_000 },
    );
    assert.equal(result.outcome, 'restarted');
    assert.equal(result.method, 'event Global\\ap4420_restart');
    assert.equal(result.newChild, 7311);
    assert.deepEqual(
      result.attempts.map((attempt) => attempt.outcome),
      ['missing', 'done'],
    );
  });

  it('events denied: httpd.exe -k restart -n NAME, with the httpd.exe that sc qc names', async () => {
    const w = await world('fastlist-service-apache.txt', 'fastlist-service-apache-restarted.txt');
    const executor = fakeExecutor(
      [
        [(call) => call.file === 'powershell.exe', denied],
        [isCommand('sc.exe', 'qc', 'Apache2.4'), ok(fixture('sc-qc-apache.txt'))],
        [
          isCommand('C:\\Apache24\\bin\\httpd.exe', '-k', 'restart', '-n', 'Apache2.4'),
          ok('', fixture('httpd-restart-ok.txt')),
        ],
      ],
      w.restart,
    );
    const result = await restartWindowsApache(
      SERVICE,
      { executor, list: w.list, clock: fakeClock() },
      { timeoutMs: 10_000 },
    );
    assert.equal(result.outcome, 'restarted');
    assert.equal(result.method, 'httpd.exe -k restart -n Apache2.4');
    // sc qc is read once: after the first denial (is it LocalSystem?), and for the httpd.exe it names
    assert.deepEqual(steps(executor.calls), [
      'powershell ap4420_restart',
      'sc.exe qc Apache2.4',
      'powershell Global\\ap4420_restart',
      'C:\\Apache24\\bin\\httpd.exe -k restart -n Apache2.4',
    ]);
    assert.equal(result.attempts[1]?.elevate, false, 'a LocalSystem event: elevating would not help');
    assert.match(
      result.attempts[1]?.detail ?? '',
      /runs as LocalSystem \(sc qc Apache2\.4\).*httpd\.exe -k restart -n Apache2\.4/,
    );
  });

  it('httpd -k restart says it failed (with exit code 0): net stop + net start, allowed by --allow-stop-start', async () => {
    const w = await world('fastlist-service-apache.txt', 'fastlist-service-apache-restarted.txt');
    const replies: Array<[(call: Call) => boolean, RunResult]> = [
      [(call) => call.file === 'powershell.exe', missing],
      [isCommand('sc.exe', 'qc'), fail(1060, '[SC] OpenService FAILED 1060:')],
      [isCommand('httpd.exe', '-k', 'restart'), ok('', fixture('httpd-restart-failed.txt'))],
      [isCommand('net.exe', 'stop', 'Apache2.4'), ok(fixture('net-stop-ok.txt'))],
      [isCommand('net.exe', 'start', 'Apache2.4'), ok(fixture('net-start-ok.txt'))],
    ];
    const executor = fakeExecutor(replies, (call) => {
      if (call.file === 'net.exe' && call.args[0] === 'start') w.restart(call);
    });
    const result = await restartWindowsApache(
      SERVICE,
      { executor, list: w.list, clock: fakeClock() },
      { timeoutMs: 10_000, allowStopStart: true },
    );
    assert.match(result.note ?? '', /hard restart .*requests in flight were cut/);
    assert.equal(result.outcome, 'restarted');
    assert.equal(result.method, 'net stop/start Apache2.4');
    assert.deepEqual(
      result.attempts.map((attempt) => [attempt.step, attempt.outcome]),
      [
        ['event ap4420_restart', 'missing'],
        ['event Global\\ap4420_restart', 'missing'],
        ['httpd.exe -k restart -n Apache2.4', 'failed'],
        ['net stop/start Apache2.4', 'done'],
      ],
    );
  });

  it('nothing works: every step is listed with why, and the console Apache says why no service step ran', async () => {
    const w = await world('fastlist-console-apache.txt', 'fastlist-console-apache.txt');
    const executor = fakeExecutor([[() => true, denied]]);
    const result = await restartWindowsApache(
      CONSOLE,
      { executor, list: w.list, clock: fakeClock() },
      { timeoutMs: 10_000 },
    );
    assert.equal(result.outcome, 'failed');
    assert.equal(result.method, null);
    assert.deepEqual(
      result.attempts.map((attempt) => [attempt.step, attempt.outcome]),
      [
        ['event ap5012_restart', 'denied'],
        ['event Global\\ap5012_restart', 'denied'],
        ['service restart', 'skipped'],
      ],
    );
    assert.match(result.attempts[2]?.detail ?? '', /not a service/);
  });

  it('the event is set but no new child comes: timeout after the injected clock passes timeoutMs', async () => {
    const w = await world('fastlist-console-apache.txt', 'fastlist-console-apache.txt');
    const clock = fakeClock();
    const executor = fakeExecutor([[isEvent('ap5012_restart'), ok()]]);
    const result = await restartWindowsApache(
      CONSOLE,
      { executor, list: w.list, clock },
      { timeoutMs: 3000 },
    );
    assert.equal(result.outcome, 'timeout');
    assert.equal(result.newChild, null);
    assert.equal(clock.slept, 3000);
    assert.equal(executor.calls.length, 1, 'a restart that was accepted is not followed by a heavier one');
  });

  it('dry run: the plan, and no command at all', async () => {
    const w = await world('fastlist-service-apache.txt', 'fastlist-service-apache.txt');
    const executor = fakeExecutor([]);
    const result = await restartWindowsApache(
      SERVICE,
      { executor, list: w.list },
      { timeoutMs: 1000, dryRun: true },
    );
    assert.equal(result.outcome, 'dry-run');
    assert.deepEqual(
      result.attempts.map((attempt) => attempt.step),
      [
        'event ap4420_restart',
        'event Global\\ap4420_restart',
        'httpd.exe -k restart -n Apache2.4',
        'net stop/start Apache2.4',
      ],
    );
    assert.equal(executor.calls.length, 0);
  });
});

describe('planSteps', () => {
  it('a console Apache: its restart event, local then Global\\, and building the plan runs nothing', async () => {
    const executor = fakeExecutor([[() => true, ok()]]);
    const plan = planSteps(CONSOLE, executor);
    assert.deepEqual(
      plan.map((step) => step.label),
      ['event ap5012_restart', 'event Global\\ap5012_restart'],
    );
    assert.equal(executor.calls.length, 0);
    const attempt = await plan[0]?.run();
    assert.deepEqual(attempt, { step: 'event ap5012_restart', outcome: 'done', detail: 'event set' });
    assert.deepEqual(steps(executor.calls), ['powershell ap5012_restart']);
  });

  it('a service: lightest first, each step its own commands, as the label says', async () => {
    const executor = fakeExecutor([
      [(call) => call.file === 'powershell.exe', ok()],
      [isCommand('sc.exe', 'qc', 'Apache2.4'), ok(fixture('sc-qc-apache.txt'))],
      [isCommand('C:\\Apache24\\bin\\httpd.exe'), ok('', fixture('httpd-restart-ok.txt'))],
      [isCommand('net.exe'), ok(fixture('net-stop-ok.txt'))],
    ]);
    const plan = planSteps(SERVICE, executor, { allowStopStart: true });
    assert.deepEqual(
      plan.map((step) => step.label),
      [
        'event ap4420_restart',
        'event Global\\ap4420_restart',
        'httpd.exe -k restart -n Apache2.4',
        'net stop/start Apache2.4',
      ],
    );
    const ran: string[][] = [];
    for (const step of plan) {
      const from = executor.calls.length;
      const attempt = await step.run();
      assert.equal(attempt.step, step.label, 'the attempt names the step the user was shown');
      assert.equal(attempt.outcome, 'done', `${step.label}: ${attempt.detail}`);
      ran.push(steps(executor.calls.slice(from)));
    }
    assert.deepEqual(ran, [
      ['powershell ap4420_restart'],
      ['powershell Global\\ap4420_restart'],
      ['sc.exe qc Apache2.4', 'C:\\Apache24\\bin\\httpd.exe -k restart -n Apache2.4'],
      ['net.exe stop Apache2.4', 'net.exe start Apache2.4'],
    ]);
  });
});

describe('restartWindowsApache: confirmation and the report', () => {
  it('-k restart that had to start the stopped service: a new parent, and its new child confirms it', async () => {
    const otherApache = [
      { pid: 9000, ppid: 640, comm: 'httpd.exe' },
      { pid: 9100, ppid: 9000, comm: 'httpd.exe' },
    ];
    const base = await fastlistProcesses('fastlist-service-apache.txt');
    const template = base[2] as ProcessInfo;
    const before = [...base, ...otherApache.map((info) => ({ ...template, ...info }))];
    // the service was restarted as a whole: parent 8100 under services.exe, its child 7311
    const after = [
      ...base.filter((info) => info.comm !== 'httpd.exe'),
      ...otherApache.map((info) => ({ ...template, ...info })),
      { ...template, pid: 8100, ppid: 640 },
      { ...template, pid: 7311, ppid: 8100 },
    ];
    let restarted = false;
    let polls = 0;
    const said =
      "The 'Apache2.4' service is restarting.\r\nStarting the 'Apache2.4' service\r\nThe 'Apache2.4' service is running.\r\n";
    const executor = fakeExecutor([
      [(call) => call.file === 'powershell.exe', missing],
      [isCommand('sc.exe', 'qc', 'Apache2.4'), ok(fixture('sc-qc-apache.txt'))],
      [
        isCommand('C:\\Apache24\\bin\\httpd.exe', '-k', 'restart', '-n', 'Apache2.4'),
        () => {
          restarted = true;
          return ok('', said);
        },
      ],
    ]);
    const clock = fakeClock();
    const result = await restartWindowsApache(
      SERVICE,
      {
        executor,
        // the new child shows on the third look after the restart
        list: async () => (restarted && ++polls >= 3 ? after : before),
        clock,
      },
      { timeoutMs: 10_000 },
    );
    assert.equal(result.outcome, 'restarted');
    assert.equal(result.method, 'httpd.exe -k restart -n Apache2.4');
    assert.equal(result.newChild, 7311);
    assert.deepEqual(result.oldChildren, [4588], "only this Apache's children, not pid 9100");
    assert.equal(result.ms, 500, 'from the first step to the confirmation, on the injected clock');
    assert.deepEqual(
      result.attempts.map((attempt) => attempt.outcome),
      ['missing', 'missing', 'done'],
    );
  });

  it('dry run of a console Apache: the event it would set, and why no service step would follow', async () => {
    const w = await world('fastlist-console-apache.txt', 'fastlist-console-apache.txt');
    const executor = fakeExecutor([]);
    const result = await restartWindowsApache(
      CONSOLE,
      { executor, list: w.list },
      { timeoutMs: 1000, dryRun: true },
    );
    assert.deepEqual(result.attempts, [
      { step: 'event ap5012_restart', outcome: 'skipped', detail: 'dry run' },
      { step: 'event Global\\ap5012_restart', outcome: 'skipped', detail: 'dry run' },
      { step: 'service restart', outcome: 'skipped', detail: 'pid 5012 is not a service' },
    ]);
    assert.deepEqual(result.oldChildren, [6120]);
    assert.equal(result.newChild, null);
    assert.equal(executor.calls.length, 0);
  });
});

describe('issue 15: the restart on Windows', () => {
  it("counts only Apache's children, not the conhost.exe of a console Apache (Win32_Process)", async () => {
    const before = await cimProcesses('win32-process-console-apache.json');
    assert.ok(before.some((info) => info.comm === 'conhost.exe' && info.ppid === 5012));
    const result = await restartWindowsApache(
      CONSOLE,
      { executor: fakeExecutor([]), list: async () => before },
      { timeoutMs: 1000, dryRun: true },
    );
    assert.deepEqual(result.oldChildren, [6120]);
  });

  it('a console Apache in another session: the local event is missing, Global\\ works', async () => {
    const before = await cimProcesses('win32-process-console-apache.json');
    const after = before.map((info) => (info.pid === 6120 ? { ...info, pid: 6999 } : info));
    let restarted = false;
    const executor = fakeExecutor(
      [
        [isEvent('ap5012_restart'), missing],
        [isEvent('Global\\ap5012_restart'), ok()],
      ],
      () => (restarted = true),
    );
    const result = await restartWindowsApache(
      CONSOLE,
      { executor, list: async () => (restarted ? after : before), clock: fakeClock() },
      { timeoutMs: 10_000 },
    );
    assert.equal(result.method, 'event Global\\ap5012_restart');
    assert.equal(result.newChild, 6999);
  });

  it('without --allow-stop-start the service is never stopped: the step is listed as not tried, and why', async () => {
    const w = await world('fastlist-service-apache.txt', 'fastlist-service-apache.txt');
    const executor = fakeExecutor([
      [(call) => call.file === 'powershell.exe', missing],
      [isCommand('sc.exe', 'qc'), ok(fixture('sc-qc-apache.txt'))],
      [isCommand('C:\\Apache24\\bin\\httpd.exe'), ok('', fixture('httpd-restart-failed.txt'))],
    ]);
    const result = await restartWindowsApache(
      SERVICE,
      { executor, list: w.list, clock: fakeClock() },
      { timeoutMs: 10_000 },
    );
    assert.equal(result.outcome, 'failed');
    assert.ok(!executor.calls.some((call) => call.file === 'net.exe'));
    assert.deepEqual(result.attempts.at(-1), {
      step: 'net stop/start Apache2.4',
      outcome: 'skipped',
      detail: STOP_START_NOTE,
    });
  });

  it('one deadline for the whole restart: each command gets what is left, and none runs after it', async () => {
    const w = await world('fastlist-service-apache.txt', 'fastlist-service-apache.txt');
    const clock = fakeClock();
    const given: number[] = [];
    const slow: Executor = {
      async run(_file, _args, options) {
        given.push(options?.timeoutMs ?? -1);
        await clock.sleep(options?.timeoutMs ?? 0); // every command hangs until it is killed
        return { code: null, stdout: '', stderr: '', error: 'ETIMEDOUT' };
      },
    };
    const started = clock.now();
    const result = await restartWindowsApache(
      SERVICE,
      { executor: slow, list: w.list, clock },
      { timeoutMs: 5000, allowStopStart: true },
    );
    assert.equal(result.outcome, 'failed');
    assert.equal(clock.now() - started, 5000, 'not 60 s per command');
    assert.deepEqual(given, [5000], 'the first command got the whole time, nothing else ran');
    assert.ok(result.attempts.slice(1).every((attempt) => /--timeout 5s had passed/.test(attempt.detail)));
  });

  it('a service whose key name has spaces: httpd -n would look for another name, so that step is not tried', () => {
    const plan = planSteps(
      { parentPid: 4420, service: 'Apache HTTP Server', serviceNote: '' },
      fakeExecutor([]),
    );
    const httpd = plan.find((step) => step.label.startsWith('httpd.exe'));
    assert.equal(httpd?.label, 'httpd.exe -k restart -n ApacheHTTPServer');
    assert.match(httpd?.skip ?? '', /would look for service "ApacheHTTPServer"/);
  });
});
