import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isAtLeast, parseLogLine, parseLogText } from '../../src/errorlog/parse.js';
import { REPO } from '../helpers/cli.js';

function fixture(name: string): string {
  return readFileSync(join(REPO, 'test/fixtures/mod_wsgi', name), 'utf8');
}

describe('parseLogLine', () => {
  it('reads a mod_wsgi 4.9 line: module, level, pid, tid, and the message with its "mod_wsgi (pid=N): "', () => {
    const line = fixture('syntax-error-4.9.log').split('\n')[0] ?? '';
    assert.deepEqual(parseLogLine(line), {
      raw: line,
      module: 'wsgi',
      level: 'info',
      pid: 5386,
      tid: 5386,
      client: null,
      message: "mod_wsgi (pid=5386): Shutdown requested 'django'.",
    });
  });

  it('reads a line as mod_wsgi 6.0.5 wrote it (recorded), without the prefix', () => {
    const line = fixture('6.0.5/traceback-at-import.log').split('\n')[0] ?? '';
    const parsed = parseLogLine(line);
    assert.equal(parsed.pid, 7124);
    assert.equal(parsed.message, "Shutdown requested for daemon process 'django'.");
  });

  it('keeps a traceback line indented', () => {
    const line = fixture('syntax-error-4.9.log')
      .split('\n')
      .find((each) => each.includes('  File "'));
    assert.ok(line);
    assert.match(parseLogLine(line).message, /^ {2}File "/);
  });

  it('reads [remote ADDR] and [client ADDR], and a line without tid', () => {
    const remote = parseLogLine(
      '[Mon Nov 23 09:06:02.8 2026] [wsgi:error] [pid 7:tid 9] [remote 127.0.0.1:5000] Traceback',
    );
    assert.equal(remote.client, '127.0.0.1:5000');
    assert.equal(remote.message, 'Traceback');
    const client = parseLogLine('[Mon Nov 23 2026] [core:crit] [pid 12] [client ::1:41000] AH00000: x');
    assert.deepEqual(
      [client.module, client.level, client.pid, client.tid, client.client],
      ['core', 'crit', 12, null, '::1:41000'],
    );
  });

  it('reads a level with no module and a trace level', () => {
    const line = parseLogLine('[Mon Nov 23 2026] [trace3] [pid 5:tid 6] deep');
    assert.deepEqual([line.module, line.level], [null, 'trace3']);
  });

  it('keeps a line that does not fit whole, with a pid when one shows', () => {
    const odd = parseLogLine('Fatal Python error: [pid 44] something');
    assert.deepEqual(odd, {
      raw: 'Fatal Python error: [pid 44] something',
      module: null,
      level: null,
      pid: 44,
      tid: null,
      client: null,
      message: 'Fatal Python error: [pid 44] something',
    });
    assert.equal(parseLogLine('Segmentation fault').pid, null);
  });
});

describe('parseLogText', () => {
  it('parses every fixture line, 4.9 and 6.x alike', () => {
    for (const name of [
      'syntax-error-4.9.log',
      '5.0.2/traceback-at-import.log',
      '6.0.5/traceback-at-import.log',
      'crash-loop-segfault-4.9.log',
    ]) {
      const text = fixture(name);
      const lines = parseLogText(text);
      assert.equal(
        lines.length,
        text.split('\n').filter((l) => l !== '').length - (text.endsWith('\n') ? 0 : 1),
      );
      assert.ok(
        lines.some((line) => line.level === 'error' || line.level === 'info'),
        name,
      );
    }
  });

  it('leaves out a last line without its newline unless complete, and empty lines always', () => {
    const text = '[x] [wsgi:info] [pid 1] a\n\n[x] [wsgi:info] [pid 2] b';
    assert.deepEqual(
      parseLogText(text).map((l) => l.pid),
      [1],
    );
    assert.deepEqual(
      parseLogText(text, true).map((l) => l.pid),
      [1, 2],
    );
  });
});

describe('isAtLeast', () => {
  it('orders emerg .. debug, trace below, null and unknown never', () => {
    assert.equal(isAtLeast('error', 'warn'), true);
    assert.equal(isAtLeast('warn', 'warn'), true);
    assert.equal(isAtLeast('info', 'warn'), false);
    assert.equal(isAtLeast('emerg', 'debug'), true);
    assert.equal(isAtLeast('trace1', 'debug'), false);
    assert.equal(isAtLeast(null, 'debug'), false);
  });
});
