import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox } from '../../src/sandbox/apache.js';
import type { Sandbox } from '../../src/sandbox/types.js';
import { apacheSkipReason, waitFor } from '../helpers/apache.js';
import { interruptWhen, psJson, runCli, startCli } from '../helpers/cli.js';
import { findRawControl } from '../helpers/terminal.js';

const skip = apacheSkipReason();

// A group name that retitles the terminal, a display-name that clears the screen and writes the
// clipboard (OSC 52): Apache and mod_wsgi take both as written, quoted in the configuration.
const EVIL_GROUP = 'evil\x1b]0;pwned\x07';
const EVIL_DISPLAY = '\x1b[2J\x1b]52;c;cHduZWQ=\x07';
const SHOWN_GROUP = 'evil\\x1b]0;pwned\\x07';
const SHOWN_DISPLAY = '\\x1b[2J\\x1b]52;c;cHduZWQ=\\x07';

describe('what reaches the terminal from a real Apache is neutralised', { skip, timeout: 120_000 }, () => {
  let sandbox: Sandbox;
  let instance: string[];
  before(async () => {
    sandbox = await startSandbox({
      groups: [{ name: 'plain' }],
      // A long argv[0]: mod_wsgi cuts the display-name to its length.
      argv0: '/usr/sbin/apache2',
      extraConfig: `WSGIDaemonProcess "${EVIL_GROUP}" processes=1 display-name="${EVIL_DISPLAY}"\n`,
    });
    instance = ['--instance', String(sandbox.pid)];
    await waitFor('the evil group’s daemon', async () =>
      (await psJson(sandbox.pid)).some((record) => record.group === EVIL_GROUP && record.via === 'socket'),
    );
  });
  after(() => sandbox?.stop());

  it('ps: the group name and display-name shown escaped; --json holds them exact', async () => {
    const table = await runCli(['ps', ...instance]);
    assert.equal(table.code, 0, table.stderr);
    assert.equal(findRawControl(table.stdout + table.stderr), undefined);
    assert.ok(table.stdout.includes(`  ${SHOWN_GROUP}  1/1 running`), table.stdout);
    assert.ok(table.stdout.includes(`display-name=${SHOWN_DISPLAY}`), table.stdout);

    const records = await psJson(sandbox.pid);
    const daemon = records.find((record) => record.group === EVIL_GROUP);
    assert.ok(daemon, 'the JSON names the group exactly as configured');
    assert.ok(daemon.cmd.startsWith('\x1b[2J'), 'and the daemon’s argv as the kernel holds it');
  });

  it('reload: its lines show the name escaped; --json is exact', async () => {
    const human = await runCli(['reload', EVIL_GROUP, ...instance]);
    assert.equal(human.code, 0, human.stderr);
    assert.equal(findRawControl(human.stdout + human.stderr), undefined);
    assert.match(
      human.stdout,
      new RegExp(`^${escapeRegExp(SHOWN_GROUP)} \\(Apache pid \\d+\\): SIGINT`, 'm'),
    );

    const json = await runCli(['reload', EVIL_GROUP, '--json', ...instance]);
    assert.equal(json.code, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout) as { group: string }[])[0]?.group, EVIL_GROUP);
  });

  it('an error message that names what the configuration holds: escaped, still one line', async () => {
    const result = await runCli(['reload', 'nope', ...instance]);
    assert.equal(result.code, 3);
    assert.equal(findRawControl(result.stderr), undefined);
    assert.ok(result.stderr.includes(SHOWN_GROUP), result.stderr);
    assert.equal(result.stderr.trimEnd().split('\n').length, 1);
  });

  it('logs: a raw line in the error log (a piped log, a file others write) is shown escaped', async () => {
    // Apache escapes what an app writes to stderr (seen: \x1b in the file), but not what others append.
    const pid = (await psJson(sandbox.pid)).find((record) => record.group === EVIL_GROUP)?.pid;
    assert.ok(pid);
    const stamp = new Date()
      .toUTCString()
      .replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5.000000 $4');
    appendFileSync(
      sandbox.errorLog,
      `[${stamp}] [wsgi:error] [pid ${pid}:tid 1] title \x1b]0;pwned\x07 clipboard \x1b]52;c;cHduZWQ=\x07 clear \x1b[2J csi \u009b31m cr\rend\n`,
    );
    const result = await runCli(['logs', EVIL_GROUP, '-n', '200', ...instance]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(findRawControl(result.stdout + result.stderr), undefined);
    assert.ok(
      result.stdout.includes(
        'title \\x1b]0;pwned\\x07 clipboard \\x1b]52;c;cHduZWQ=\\x07 clear \\x1b[2J csi \\x9b31m cr\\rend',
      ),
      result.stdout,
    );
  });

  it('watch: the reload line names the group escaped', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'wsgictl-terminal-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const running = startCli(['watch', dir, '--group', EVIL_GROUP, ...instance]);
    t.after(() => {
      if (running.child.exitCode === null) running.child.kill('SIGKILL');
    });
    await waitFor(
      'the ready line',
      () => running.stdout().includes('Ctrl-C stops') || running.child.exitCode !== null,
    );
    writeFileSync(join(dir, 'app.py'), 'x = 1\n');
    const result = await interruptWhen(running, /\(Apache pid \d+\) SIGINT/);
    assert.equal(result.code, 130, result.stderr);
    assert.equal(findRawControl(result.stdout + result.stderr), undefined);
    assert.ok(result.stdout.includes(`-> ${SHOWN_GROUP} (Apache pid ${sandbox.pid}) SIGINT`), result.stdout);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
