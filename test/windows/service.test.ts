import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  classifyHttpdRestart,
  classifyNet,
  findServiceByPid,
  mapServicePids,
  parseScQc,
  parseScQcBinary,
  parseScQueryex,
  readServiceConfig,
  restartWithHttpd,
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
  it('an unquoted BINARY_PATH_NAME with spaces: the path up to .exe, as CreateProcess reads it', () => {
    assert.deepEqual(parseScQc(fixture('sc-qc-unquoted-spaces.txt')), {
      binary: 'C:\\Program Files\\Apache24\\bin\\httpd.exe',
      account: 'LocalSystem',
    });
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
    assert.deepEqual(lookup, { known: false, detail: 'sc queryex could not run (ENOENT)' });
  });
  it('findServiceByPid repeats on one line what a refusing sc.exe said', async () => {
    const executor = fakeExecutor([
      [() => true, fail(5, '', '[SC] OpenSCManager FAILED 5:\r\n\r\nAccess is denied.\r\n\r\n')],
    ]);
    assert.deepEqual(await findServiceByPid(executor, 4420), {
      known: false,
      detail: 'sc queryex exited 5: [SC] OpenSCManager FAILED 5: Access is denied.',
    });
  });
  it('mapServicePids maps the pid of every running service to its name (for `wsgictl ps`)', async () => {
    const executor = fakeExecutor([[isCommand('sc.exe', 'queryex'), ok(fixture('sc-queryex-services.txt'))]]);
    assert.deepEqual(
      [...(await mapServicePids(executor))],
      [
        [4420, 'Apache2.4'],
        [1234, 'Spooler'],
      ],
    );
    assert.deepEqual(executor.calls[0]?.args, ['queryex', 'type=', 'service']);
  });
  it('mapServicePids is empty when sc.exe cannot answer', async () => {
    const executor = fakeExecutor([[() => true, fail(5, 'Access is denied.')]]);
    assert.equal((await mapServicePids(executor)).size, 0);
  });
  it('readServiceConfig: the httpd.exe and account of `sc.exe qc NAME`, or null when sc.exe refuses', async () => {
    const found = fakeExecutor([[isCommand('sc.exe', 'qc', 'Apache2.4'), ok(fixture('sc-qc-apache.txt'))]]);
    assert.deepEqual(await readServiceConfig(found, 'Apache2.4'), {
      binary: 'C:\\Apache24\\bin\\httpd.exe',
      account: 'LocalSystem',
    });
    const refused = fakeExecutor([[() => true, fail(1060, '', '[SC] OpenService FAILED 1060:')]]);
    assert.equal(await readServiceConfig(refused, 'Apache2.4'), null);
  });
});

describe('restartWithHttpd', () => {
  it('runs that httpd.exe with -k restart -n NAME as four arguments and reads its words', async () => {
    const executor = fakeExecutor([[() => true, ok('', fixture('httpd-restart-ok.txt'))]]);
    const attempt = await restartWithHttpd(executor, 'C:\\Apache 24\\bin\\httpd.exe', 'Apache HTTP Server');
    assert.deepEqual(
      executor.calls.map((call) => [call.file, ...call.args]),
      [['C:\\Apache 24\\bin\\httpd.exe', '-k', 'restart', '-n', 'Apache HTTP Server']],
    );
    assert.equal(attempt.step, 'httpd.exe -k restart -n Apache HTTP Server');
    assert.equal(attempt.outcome, 'done');
  });
  it('no httpd.exe to run is said as such', async () => {
    const executor = fakeExecutor([[() => true, { code: null, stdout: '', stderr: '', error: 'ENOENT' }]]);
    assert.deepEqual(await restartWithHttpd(executor, 'httpd.exe', 'Apache2.4'), {
      step: 'httpd.exe -k restart -n Apache2.4',
      outcome: 'unavailable',
      detail: 'httpd.exe not found',
    });
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
    const attempt = await stopStartService(executor, 'Apache2.4', () => 10_000);
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
    const attempt = await stopStartService(executor, 'Apache2.4', () => 10_000);
    assert.equal(attempt.outcome, 'denied');
    assert.equal(executor.calls.length, 1);
  });
});
