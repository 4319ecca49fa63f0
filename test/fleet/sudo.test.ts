import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Envelope, findEnvelope } from '../../src/fleet/envelope.js';
import { shellQuote } from '../../src/fleet/ssh.js';
import type { HostReloadReport } from '../../src/fleet/summary.js';
import type { PsRecord } from '../../src/groups/records.js';
import { apacheSkipReason, requireRoot } from '../helpers/apache.js';
import { REPO, runCli } from '../helpers/cli.js';
import { type SimFleet, startFleet } from '../helpers/hosts.js';

const skip = apacheSkipReason();

/** The sudoers line the fleet guide (docs/fleet.md) gives, for wsgictl installed at /usr/local/bin/wsgictl. */
function fleetGuideSudoersLine(): string {
  const line = readFileSync(join(REPO, 'docs', 'fleet.md'), 'utf8')
    .split('\n')
    .find((each) => each.startsWith('deploy ALL=(root) NOPASSWD:'));
  return line ?? assert.fail('docs/fleet.md has no sudoers line for deploy');
}

/**
 * A host where the login is `deploy`, not root, and sudo allows exactly what the fleet guide's sudoers line
 * allows: wsgictl's reload and ps run as root there, anything else is refused by sudo.
 */
describe("the fleet guide's sudoers line, on a simulated host with a real sudo", { skip }, () => {
  let fleet: SimFleet;
  let remote: string[];
  before(async () => {
    requireRoot('the simulated hosts (unshare, sshd, sudo)');
    const sudoers = fleetGuideSudoersLine().replaceAll('/usr/local/bin/wsgictl', 'REMOTE');
    fleet = await startFleet([{ name: 'h1', groups: [{ name: 'django', processes: 2 }], sudoers }]);
    remote = [
      '--ssh-config',
      fleet.sshConfig,
      '--remote-wsgictl',
      `sudo -n ${fleet.remoteWsgictl}`,
      '--host',
      'deploy@h1',
    ];
  });
  after(() => fleet?.stop());

  it('ps and reload run as root through sudo -n: daemons told apart by socket, django replaced', async () => {
    const ps = await runCli(['ps', '--json', ...remote]);
    assert.equal(ps.code, 0, ps.stderr);
    const daemons = (JSON.parse(ps.stdout) as (PsRecord & { host: string })[]).filter(
      (r) => r.role === 'daemon',
    );
    assert.deepEqual(
      daemons.map((r) => [r.host, r.group, r.via]),
      [
        ['deploy@h1', 'django', 'socket'],
        ['deploy@h1', 'django', 'socket'],
      ],
    );
    const reload = await runCli(['reload', 'django', '--json', ...remote]);
    assert.equal(reload.code, 0, reload.stderr);
    const [report] = JSON.parse(reload.stdout) as HostReloadReport[];
    assert.equal(report?.results?.[0]?.outcome, 'replaced');
    assert.deepEqual(report?.results?.[0]?.oldPids.sort(), daemons.map((r) => r.pid).sort());
  });

  it('what the line does not allow is refused by sudo, and said so (exit 6)', async () => {
    const logs = await runCli([
      'reload',
      'django',
      '--json',
      ...remote.slice(0, 3),
      `sudo -n ${fleet.remoteWsgictl.replace('wsgictl', 'other')}`,
      '--host',
      'deploy@h1',
    ]);
    assert.equal(logs.code, 6, logs.stderr);
    assert.match(
      logs.stderr,
      /^wsgictl: deploy@h1: sudo asks for a password there: allow wsgictl without one/m,
    );
  });

  /** A command line run by `deploy` in its own shell on the host (what anyone with that login can do). */
  function asDeploy(command: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('ssh', ['-F', fleet.sshConfig, '-o', 'BatchMode=yes', 'deploy@h1', command], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('--version (what watch --host asks first) runs through the line', async () => {
    const result = await asDeploy(`sudo -n ${fleet.remoteWsgictl} --envelope --version`);
    const envelope = findEnvelope(result.stdout) ?? assert.fail(result.stderr);
    assert.equal(envelope.exitCode, 0);
  });

  describe("each attack through the fleet guide's line is refused: no marker, no shadow line, no file touched, no request", () => {
    const OLD_S = 1_000_000_000;
    let marker = '';
    let victim = '';
    let url = '';
    let shadow: string[] = [];
    let requests = 0;
    let server: Server | undefined;
    before(async () => {
      marker = join(fleet.dir, 'proxy-marker');
      const rootOnly = join(fleet.dir, 'root-only');
      mkdirSync(rootOnly, { mode: 0o700 });
      victim = join(rootOnly, 'victim.txt');
      writeFileSync(victim, 'root only\n', { mode: 0o600 });
      utimesSync(victim, OLD_S, OLD_S);
      shadow = readFileSync(join(fleet.dir, 'etc-h1', 'shadow'), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '');
      const listening = createServer((_request, response) => {
        requests++;
        response.end('ok');
      });
      server = listening;
      await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}/`;
    });
    after(() => server?.close());

    const nothingLeaked = (text: string, what: string) => {
      for (const line of shadow)
        assert.ok(!text.includes(line), `${what}: a line of the host's shadow printed`);
      assert.equal(existsSync(marker), false, `${what}: ProxyCommand ran as root`);
      assert.equal(statSync(victim).mtimeMs, OLD_S * 1000, `${what}: the root-only file was touched`);
      assert.equal(requests, 0, `${what}: the host requested the caller's URL`);
    };

    const attacks: { words: () => string[]; option: string }[] = [
      {
        words: () => [
          '--envelope',
          'ps',
          '--ssh-option',
          `ProxyCommand=sh -c "id > ${marker}"`,
          '--host',
          'x',
        ],
        option: '--ssh-option',
      },
      { words: () => ['--envelope', 'ps', '--hosts-file', '/etc/shadow'], option: '--hosts-file' },
      {
        words: () => ['--envelope', 'ps', '--ssh-config', '/etc/shadow', '--host', 'x'],
        option: '--ssh-config',
      },
      { words: () => ['--envelope', 'reload', 'django', '--touch', victim], option: '--touch' },
      { words: () => ['--envelope', 'reload', 'django', `--touch=${victim}`], option: '--touch' },
      { words: () => ['--envelope', 'reload', 'django', '--check', url], option: '--check' },
      {
        words: () => ['--envelope', 'reload', 'django', '--remote-wsgictl=sh', '--host=x'],
        option: '--remote-wsgictl',
      },
      // One word holding a space also matches `--envelope reload *`.
      { words: () => ['--envelope reload', 'django', '--touch', victim], option: '--envelope reload' },
    ];
    for (const attack of attacks) {
      it(`${attack.option}: exit 2 from deploy's shell and over the fleet`, async () => {
        // Each attack starts from the same evidence: no marker, the old mtime, no request.
        rmSync(marker, { force: true });
        utimesSync(victim, OLD_S, OLD_S);
        requests = 0;
        const words = attack.words();
        const what = words.join(' ');
        const line = `sudo -n ${[fleet.remoteWsgictl, ...words].map(shellQuote).join(' ')}`;
        // From deploy's own shell: sudo lets it through, wsgictl refuses it (exit 2, in the envelope).
        const raw = await asDeploy(line);
        nothingLeaked(raw.stdout + raw.stderr, what);
        const envelope: Envelope =
          findEnvelope(raw.stdout) ?? assert.fail(`${what}: ${raw.stdout}${raw.stderr}`);
        assert.equal(envelope.exitCode, 2, what);
        assert.equal(envelope.error?.code, 'USAGE', what);
        assert.ok(
          envelope.error?.message.startsWith(`${attack.option} cannot be used through --envelope`),
          what,
        );
        // Through the fleet, smuggled into --remote-wsgictl: the host fails with that message, exit 2.
        const command = words[1] === 'ps' ? ['ps', '--json'] : ['reload', 'django', '--json'];
        const run = await runCli([...command, ...remote.slice(0, 3), line, '--host', 'deploy@h1']);
        nothingLeaked(run.stdout + run.stderr, what);
        assert.equal(run.code, 2, `${what}: ${run.stderr}`);
        assert.match(
          run.stderr,
          new RegExp(`^wsgictl: deploy@h1: ${attack.option} cannot be used through --envelope`, 'm'),
        );
      });
    }
  });
});
