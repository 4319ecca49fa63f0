import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../src/cli.js';
import type { Envelope } from '../../src/fleet/envelope.js';
import type { SshOutput } from '../../src/fleet/ssh.js';
import { VERSION } from '../../src/version.js';
import { failingReloader, failingSource, recordingContext, testPlatform } from '../helpers/context.js';
import { findRawControl } from '../helpers/terminal.js';

// What a hostile (or compromised) host can put in its answer: a title change, a screen clear, a
// clipboard write, a C1 CSI.
const TITLE = '\x1b]0;pwned\x07';
const CLEAR = '\x1b[2J';
const CLIPBOARD = '\x1b]52;c;cHduZWQ=\x07';
const C1 = '\u009b31m';
/** How wsgictl shows these: each control character as `\xHH`. */
const shown = (text: string) =>
  [...text]
    .map((char) => {
      const code = char.charCodeAt(0);
      return code < 0x20 || (code >= 0x7f && code <= 0x9f)
        ? `\\x${code.toString(16).padStart(2, '0')}`
        : char;
    })
    .join('');

const envelope = (fields: Partial<Envelope>): SshOutput => ({
  exitCode: fields.exitCode ?? 0,
  signal: null,
  stdout: `${JSON.stringify({ wsgictl: VERSION, exitCode: 0, stdout: '', stderr: '', ...fields })}\n`,
  stderr: '',
});

/** The CLI with ssh handed in: each host answers as given; nothing of this machine is read or signalled. */
function fleetContext(answers: Record<string, SshOutput>) {
  return recordingContext({
    platform: testPlatform({
      source: failingSource('a fleet run reads no local process'),
      reloader: failingReloader('a fleet run reloads nothing locally'),
    }),
    ssh: async (args) => answers[args[args.indexOf('--') + 1] as string] ?? assert.fail('unknown host'),
  });
}

const HOSTILE = {
  // Its table (ps without --json passes the host's own text through), and a version that is not ours.
  web1: envelope({
    wsgictl: `0.1.9${TITLE}`,
    stdout: `apache2 pid 4  /etc/apache2/apache2.conf${TITLE}\n  django${CLEAR}  1/1 running\n\tindented ${CLIPBOARD}${C1}\n`,
  }),
  // A failure whose message and stderr carry escapes.
  web2: envelope({
    exitCode: 1,
    stderr: `wsgictl: broke ${CLEAR}\n`,
    error: { code: 'UNEXPECTED', message: `unexpected error: ${TITLE}${CLIPBOARD}` },
  }),
  // ssh's own message (a banner, a proxy) is quoted in the failure too.
  web3: {
    exitCode: 255,
    signal: null,
    stdout: '',
    stderr: `ssh: connect to host web3 port 22: Connection refused ${CLEAR}${TITLE}\n`,
  },
} satisfies Record<string, SshOutput>;

describe('a host’s answer reaches the local terminal neutralised', () => {
  it('ps --host: its table, version, error message and ssh’s words, shown escaped; --json exact', async () => {
    const c = fleetContext(HOSTILE);
    const code = await main(
      ['node', 'wsgictl', 'ps', '--host', 'web1', '--host', 'web2', '--host', 'web3'],
      c.context,
    );
    const out = c.out.join('');
    const err = c.err.join('');
    assert.equal(findRawControl(out), undefined);
    assert.equal(findRawControl(err), undefined);
    assert.ok(
      out.includes(`/etc/apache2/apache2.conf${shown(TITLE)}\n  django${shown(CLEAR)}  1/1 running`),
      out,
    );
    assert.ok(out.includes(`\tindented ${shown(CLIPBOARD)}\\x9b31m`), 'the table keeps its tabs and lines');
    assert.ok(out.includes(`(wsgictl 0.1.9${shown(TITLE)})`), out);
    assert.ok(err.includes(`web1 runs wsgictl 0.1.9${shown(TITLE)}, this one is ${VERSION}`), err);
    assert.ok(err.includes(`web2: unexpected error: ${shown(TITLE)}${shown(CLIPBOARD)}`), err);
    assert.ok(err.includes(`Connection refused ${shown(CLEAR)}${shown(TITLE)}`), err);
    assert.equal(code, 1);

    // --json: the records exactly as the host sent them.
    const record = { pid: 11, role: 'daemon', group: `django${TITLE}` };
    const json = fleetContext({ web1: envelope({ stdout: JSON.stringify([record]) }) });
    assert.equal(await main(['node', 'wsgictl', 'ps', '--json', '--host', 'web1'], json.context), 0);
    assert.deepEqual(JSON.parse(json.out.join('')), [{ host: 'web1', ...record }]);
  });

  it('reload --host: its results (group, crash-loop log lines, log paths) and failure, shown escaped; --json exact', async () => {
    const result = {
      instance: 4,
      group: `django${TITLE}`,
      signal: 'SIGINT',
      oldPids: [5],
      newPids: [9],
      ms: 400,
      outcome: 'crash-loop',
      crashLoop: { restarts: 3, pids: [9] },
      members: [],
      skipped: [{ pid: 6, reason: `gone ${CLEAR}` }],
      health: [],
      unchecked: [],
      errors: [`[Wed Dec 02 10:00:00.000000 2026] [wsgi:error] [pid 9:tid 1] ValueError: ${CLIPBOARD}${C1}`],
      errorLogs: [{ path: `/var/log/apache2/error.log${TITLE}`, written: 'error.log' }],
    };
    const answers = { web1: envelope({ exitCode: 1, stdout: JSON.stringify([result]) }), web2: HOSTILE.web2 };
    const c = fleetContext(answers);
    const code = await main(
      ['node', 'wsgictl', 'reload', 'django', '--keep-going', '--host', 'web1', '--host', 'web2'],
      c.context,
    );
    const out = c.out.join('');
    const err = c.err.join('');
    assert.equal(findRawControl(out), undefined);
    assert.equal(findRawControl(err), undefined);
    assert.ok(out.includes(`django${shown(TITLE)} (Apache pid 4): SIGINT`), out);
    assert.ok(out.includes(`skipped pid 6: gone ${shown(CLEAR)}`), out);
    assert.ok(out.includes(`error log /var/log/apache2/error.log${shown(TITLE)}`), out);
    assert.ok(out.includes(`ValueError: ${shown(CLIPBOARD)}\\x9b31m`), out);
    assert.ok(out.includes(`failed: unexpected error: ${shown(TITLE)}`), out);
    assert.equal(code, 1);

    const json = fleetContext(answers);
    await main(
      ['node', 'wsgictl', 'reload', 'django', '--json', '--keep-going', '--host', 'web1', '--host', 'web2'],
      json.context,
    );
    const reports = JSON.parse(json.out.join('')) as { results?: unknown[]; error?: { message: string } }[];
    assert.deepEqual(reports[0]?.results, [{ ...result, host: 'web1' }]);
    assert.equal(reports[1]?.error?.message, `unexpected error: ${TITLE}${CLIPBOARD}`);
  });
});
