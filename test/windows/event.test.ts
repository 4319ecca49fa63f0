import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildEventScript,
  classifyEventResult,
  powershellArgs,
  setRestartEvent,
} from '../../src/windows/event.js';
import { decodeScript, fail, fakeExecutor, fixture, ok } from './fakes.js';

describe('the PowerShell stand-in for ap_signal_parent()', () => {
  it('opens the event with EVENT_MODIFY_STATE only (EventWaitHandleRights.Modify), sets it and closes it', () => {
    const script = buildEventScript('ap5012_restart');
    assert.match(
      script,
      /OpenExisting\('ap5012_restart', \[System\.Security\.AccessControl\.EventWaitHandleRights\]::Modify\)/,
    );
    assert.match(script, /\$e\.Set\(\)/);
    assert.match(script, /\$e\.Close\(\)/);
  });
  it('refuses to build a script around anything but an Apache restart event name', () => {
    for (const bad of ["ap1_restart'); calc; ('", 'ap_restart', 'Global\\ap12_shutdown', 'x']) {
      assert.throws(() => buildEventScript(bad));
    }
  });
  it('passes the script as -EncodedCommand (UTF-16LE base64), never as a command string', () => {
    const args = powershellArgs(buildEventScript('Global\\ap4420_restart'));
    assert.deepEqual(args.slice(0, 3), ['-NoProfile', '-NonInteractive', '-EncodedCommand']);
    assert.equal(args.length, 4);
    assert.equal(decodeScript(args), buildEventScript('Global\\ap4420_restart'));
  });
});

describe('classifyEventResult (recorded outputs)', () => {
  it('exit 0 is done', () => {
    assert.equal(classifyEventResult(ok(), 'event ap1_restart').outcome, 'done');
  });
  it('WaitHandleCannotBeOpenedException is a missing event', () => {
    const attempt = classifyEventResult(
      fail(1, fixture('powershell-event-missing.txt')),
      'event ap1_restart',
    );
    assert.equal(attempt.outcome, 'missing');
    assert.match(attempt.detail, /No handle of the given name exists/);
  });
  it('UnauthorizedAccessException means: run elevated', () => {
    const attempt = classifyEventResult(
      fail(1, fixture('powershell-event-denied.txt')),
      'event ap4420_restart',
    );
    assert.equal(attempt.outcome, 'denied');
    assert.match(attempt.detail, /run elevated/);
  });
  it('no powershell.exe is said as such', () => {
    const attempt = classifyEventResult(
      { code: null, stdout: '', stderr: '', error: 'ENOENT' },
      'event ap1_restart',
    );
    assert.equal(attempt.outcome, 'unavailable');
    assert.match(attempt.detail, /powershell\.exe is not on PATH/);
  });
});

describe('setRestartEvent', () => {
  it('runs powershell.exe once with the event of that pid', async () => {
    const executor = fakeExecutor([[() => true, ok()]]);
    const attempt = await setRestartEvent(executor, 5012, false);
    assert.equal(attempt.step, 'event ap5012_restart');
    assert.equal(executor.calls.length, 1);
    assert.equal(executor.calls[0]?.file, 'powershell.exe');
    assert.match(executor.calls[0]?.script ?? '', /'ap5012_restart'/);
  });
});
