import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Envelope } from '../../src/fleet/envelope.js';
import type { HostOutcome } from '../../src/fleet/outcome.js';
import { hostError, hostResults, RemoteReloader } from '../../src/fleet/remote.js';
import type { SshOutput, SshRunner } from '../../src/fleet/ssh.js';
import { VERSION } from '../../src/version.js';

const envelope = (fields: Partial<Envelope> = {}): Envelope => ({
  wsgictl: VERSION,
  exitCode: 0,
  stdout: '',
  stderr: '',
  ...fields,
});

const answer = (fields: Partial<Envelope> = {}): SshOutput => ({
  exitCode: fields.exitCode ?? 0,
  signal: null,
  stdout: `${JSON.stringify(envelope(fields))}\n`,
  stderr: '',
});

const result = {
  instance: 4,
  group: 'django',
  signal: 'SIGINT',
  oldPids: [5],
  newPids: [9],
  outcome: 'replaced',
};

describe('hostError', () => {
  it("is the host's own error code when its wsgictl answered with one, prefixed by the host", () => {
    const outcome: HostOutcome = {
      host: 'web1',
      exitCode: 3,
      envelope: envelope({ exitCode: 3, error: { code: 'NO_SUCH_GROUP', message: 'no group "x"' } }),
      failure: { kind: 'remote', message: 'no group "x"' },
    };
    const error = hostError(outcome);
    assert.deepEqual([error.code, error.exitCode, error.message], ['NO_SUCH_GROUP', 3, 'web1: no group "x"']);
  });

  it('is HOST (exit 6) without an envelope, FAILED for a code this wsgictl does not know', () => {
    const unreached = hostError({
      host: 'web2',
      exitCode: 6,
      failure: { kind: 'unreachable', message: 'ssh could not connect' },
    } as HostOutcome);
    assert.deepEqual(
      [unreached.code, unreached.exitCode, unreached.message],
      ['HOST', 6, 'web2: ssh could not connect'],
    );
    const odd = hostError({
      host: 'web3',
      exitCode: 1,
      envelope: envelope({ exitCode: 1, error: { code: 'UNEXPECTED', message: 'm' } }),
    });
    assert.deepEqual([odd.code, odd.exitCode, odd.message], ['FAILED', 1, 'web3: exit 1']);
  });
});

describe('hostResults', () => {
  it('marks every printed result with the host, over any "host" of its own, and drops what is no record', () => {
    const outcome: HostOutcome = {
      host: 'web1',
      exitCode: 0,
      envelope: envelope({ stdout: JSON.stringify([{ ...result, host: 'web9' }, 7, null, ['x']]) }),
    };
    assert.deepEqual(hostResults(outcome), [{ ...result, host: 'web1' }]);
  });

  it('is undefined when the host printed no JSON array', () => {
    for (const stdout of ['', 'not json', '{"a":1}'])
      assert.equal(
        hostResults({ host: 'web1', exitCode: 0, envelope: envelope({ stdout }) }),
        undefined,
        stdout,
      );
    assert.equal(hostResults({ host: 'web1', exitCode: 6 }), undefined);
  });
});

/** An ssh that answers each host by `answers[host](remote command line)` and keeps every call. */
function fakeSsh(answers: Record<string, (remote: string) => SshOutput>) {
  const calls: { args: string[]; detached: boolean }[] = [];
  const run: SshRunner = async (args, options) => {
    calls.push({ args, detached: options.detached });
    if (args.includes('-O')) return { exitCode: 0, signal: null, stdout: '', stderr: '' };
    const host = args[args.indexOf('--') + 1] as string;
    return (answers[host] ?? assert.fail(`unknown host ${host}`))(args.at(-1) as string);
  };
  return { run, calls };
}

const fleet = { hosts: ['web1', 'web2'], ssh: { options: [], remoteCommand: 'wsgictl' } };

describe('RemoteReloader', () => {
  it('opens one persistent connection per host, reloads host after host over it, and closes them', async () => {
    const reload = (host: string) => (remote: string) =>
      remote.includes('--version')
        ? answer({ stdout: `${VERSION}\n` })
        : answer({ stdout: JSON.stringify([{ ...result, instance: host === 'web1' ? 4 : 5 }]) });
    const ssh = fakeSsh({ web1: reload('web1'), web2: reload('web2') });
    const warnings: string[] = [];
    const reloader = new RemoteReloader(fleet, (w) => warnings.push(w), ssh.run);
    await reloader.open();
    const results = await reloader.reload(['reload', 'django', '--json']);
    assert.deepEqual(
      results.map((r) => [r.host, r.instance]),
      [
        ['web1', 4],
        ['web2', 5],
      ],
    );
    const controlPath = ssh.calls[0]?.args.find((arg) => arg.startsWith('ControlPath='));
    assert.ok(controlPath, 'the connection is kept open');
    const controlDir = controlPath.slice('ControlPath='.length, -'/%C'.length);
    assert.equal(statSync(controlDir).mode & 0o777, 0o700, 'its sockets are ours alone');
    for (const call of ssh.calls) assert.ok(call.args.includes(controlPath), call.args.join(' '));
    assert.deepEqual(
      ssh.calls.map((call) => call.args.at(-1)),
      [
        'wsgictl --envelope --version',
        'wsgictl --envelope --version',
        'wsgictl --envelope reload django --json',
        'wsgictl --envelope reload django --json',
      ],
    );
    await reloader.close();
    assert.deepEqual(
      ssh.calls.slice(4).map((call) => call.args.slice(-4)),
      [
        ['-O', 'exit', '--', 'web1'],
        ['-O', 'exit', '--', 'web2'],
      ],
    );
    assert.equal(existsSync(controlDir), false, 'its folder is removed');
    assert.deepEqual(warnings, []);
  });

  it('a host that cannot answer fails open(); another version is a warning', async () => {
    const unreachable = fakeSsh({
      web1: () => answer({ wsgictl: '0.1.0', stdout: '0.1.0\n' }),
      web2: () => ({
        exitCode: 255,
        signal: null,
        stdout: '',
        stderr: 'ssh: connect to host web2: Connection refused\n',
      }),
    });
    const warnings: string[] = [];
    const reloader = new RemoteReloader(fleet, (w) => warnings.push(w), unreachable.run);
    await assert.rejects(reloader.open(), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'HOST');
      assert.match(error.message, /^web2: /);
      return true;
    });
    assert.deepEqual(warnings, [
      `web1 runs wsgictl 0.1.0, this one is ${VERSION}: install the same version on both`,
    ]);
    await reloader.close();
  });

  it('the first host that fails throws its error; the hosts after it are not asked', async () => {
    const ssh = fakeSsh({
      web1: () =>
        answer({
          exitCode: 3,
          error: { code: 'NO_SUCH_GROUP', message: 'no group "django" under apache2 (pid 4)' },
        }),
      web2: () => assert.fail('web2 is not asked'),
    });
    const reloader = new RemoteReloader(fleet, () => {}, ssh.run);
    await assert.rejects(reloader.reload(['reload', 'django', '--json']), {
      code: 'NO_SUCH_GROUP',
      message: 'web1: no group "django" under apache2 (pid 4)',
    });
    assert.equal(ssh.calls.length, 1);
  });
});
