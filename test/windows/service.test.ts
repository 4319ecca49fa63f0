import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classifyHttpdRestart,
  classifyNet,
  findServiceByPid,
  parseScQcBinary,
  parseScQueryex,
  stopStartService,
} from '../../src/windows/service.js';
import { fail, fakeExecutor, fixture, isCommand, ok } from './fakes.js';

describe('sc.exe output', () => {
  it('parseScQueryex reads every block with its state and pid', () => {
    const services = parseScQueryex(fixture('sc-queryex-services.txt'));
    assert.deepEqual(services, [
      { name: 'AJRouter', state: 'STOPPED', pid: 0 },
      { name: 'Apache2.4', state: 'RUNNING', pid: 4420 },
      { name: 'Spooler', state: 'RUNNING', pid: 1234 },
    ]);
  });
  it('parseScQcBinary takes the quoted httpd.exe out of BINARY_PATH_NAME', () => {
    assert.equal(parseScQcBinary(fixture('sc-qc-apache.txt')), 'C:\\Apache24\\bin\\httpd.exe');
    assert.equal(
      parseScQcBinary('        BINARY_PATH_NAME   : C:\\Apache24\\bin\\httpd.exe -k runservice'),
      'C:\\Apache24\\bin\\httpd.exe',
    );
    assert.equal(parseScQcBinary('[SC] OpenService FAILED 1060:'), null);
  });
  it('findServiceByPid runs `sc.exe queryex type= service` as three arguments and finds the pid', async () => {
    const executor = fakeExecutor([[isCommand('sc.exe', 'queryex'), ok(fixture('sc-queryex-services.txt'))]]);
    assert.deepEqual(await findServiceByPid(executor, 4420), { known: true, service: 'Apache2.4' });
    assert.deepEqual(await findServiceByPid(executor, 5012), { known: true, service: null });
    assert.deepEqual(executor.calls[0]?.args, ['queryex', 'type=', 'service']);
  });
  it('findServiceByPid says when sc.exe could not answer', async () => {
    const executor = fakeExecutor([[() => true, { code: null, stdout: '', stderr: '', error: 'ENOENT' }]]);
    const lookup = await findServiceByPid(executor, 4420);
    assert.equal(lookup.known, false);
  });
});

describe('httpd.exe -k restart output (exit code 0 whatever happened)', () => {
  const cases: Array<[string, string]> = [
    ['httpd-restart-ok.txt', 'done'],
    ['httpd-restart-failed.txt', 'failed'],
    ['httpd-restart-no-service.txt', 'missing'],
    ['httpd-restart-denied.txt', 'denied'],
  ];
  for (const [name, outcome] of cases) {
    it(`${name} -> ${outcome}`, () => {
      assert.equal(classifyHttpdRestart(ok('', fixture(name)), 'step').outcome, outcome);
    });
  }
  it('a stopped service that -k restart starts counts as done', () => {
    const said =
      "The 'Apache2.4' service is restarting.\r\nStarting the 'Apache2.4' service\r\nThe 'Apache2.4' service is running.\r\n";
    assert.equal(classifyHttpdRestart(ok('', said), 'step').outcome, 'done');
  });
});

describe('net.exe output', () => {
  it('reads success, no such service, access denied and not started', () => {
    assert.equal(classifyNet(ok(fixture('net-stop-ok.txt')), 's').outcome, 'done');
    assert.equal(classifyNet(fail(2, fixture('net-no-service.txt')), 's').outcome, 'missing');
    assert.equal(classifyNet(fail(2, fixture('net-denied.txt')), 's').outcome, 'denied');
    assert.equal(classifyNet(fail(2, fixture('net-not-started.txt')), 's').notStarted, true);
  });
  it('stopStartService starts a service that was not running', async () => {
    const executor = fakeExecutor([
      [isCommand('net.exe', 'stop'), fail(2, fixture('net-not-started.txt'))],
      [isCommand('net.exe', 'start'), ok(fixture('net-start-ok.txt'))],
    ]);
    const attempt = await stopStartService(executor, 'Apache2.4');
    assert.equal(attempt.outcome, 'done');
    assert.deepEqual(
      executor.calls.map((call) => [call.file, ...call.args]),
      [
        ['net.exe', 'stop', 'Apache2.4'],
        ['net.exe', 'start', 'Apache2.4'],
      ],
    );
  });
  it('stopStartService does not start after a refused stop', async () => {
    const executor = fakeExecutor([[isCommand('net.exe', 'stop'), fail(2, fixture('net-denied.txt'))]]);
    const attempt = await stopStartService(executor, 'Apache2.4');
    assert.equal(attempt.outcome, 'denied');
    assert.equal(executor.calls.length, 1);
  });
});
