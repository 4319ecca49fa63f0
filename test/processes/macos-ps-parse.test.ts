import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLstart, parsePsStat, parsePsText, splitArgv } from '../../src/processes/macos-ps-parse.js';
import { macFixture } from './macos-fakes.js';

describe('parseLstart', () => {
  it("reads ps's lstart (C locale, local time) into a Date", () => {
    assert.equal(
      parseLstart('Sat Nov 21 09:00:00 2026')?.getTime(),
      new Date(2026, 10, 21, 9, 0, 0).getTime(),
    );
    assert.equal(
      parseLstart(' Mon Feb  2 23:59:07 2026 ')?.getTime(),
      new Date(2026, 1, 2, 23, 59, 7).getTime(),
    );
  });

  it('is null for anything else', () => {
    for (const text of ['', 'Sat Foo 21 09:00:00 2026', '2026-11-21T09:00:00', 'Sat Nov 21 09:00 2026'])
      assert.equal(parseLstart(text), null, text);
  });
});

describe('parsePsStat (test/fixtures/macos)', () => {
  it('reads each column and drops the padding ps adds to ucomm', () => {
    const rows = parsePsStat(macFixture('homebrew', 'ps-stat.txt'));
    assert.deepEqual(rows[1], {
      pid: 612,
      ppid: 1,
      uid: 501,
      rssKiB: 10240,
      lstart: 'Sat Nov 21 09:00:00 2026',
      ucomm: 'httpd',
    });
    const text = macFixture('homebrew', 'ps-stat.txt');
    assert.equal(rows.length, text.split('\n').filter((line) => line.trim() !== '').length);
    assert.deepEqual(
      rows.slice(0, 5).map((row) => row.pid),
      [1, 612, 640, 641, 642],
    );
    assert.ok(rows.every((row) => row.ucomm === row.ucomm.trimEnd() && row.ucomm !== ''));
  });

  it('reads the daemons of a root Apache as their own uid, with the same ucomm as the parent', () => {
    const rows = parsePsStat(macFixture('system-root', 'ps-stat.txt'));
    const daemon = rows.find((row) => row.pid === 710);
    assert.deepEqual([daemon?.ppid, daemon?.uid, daemon?.ucomm], [700, 70, 'httpd']);
  });

  it('skips lines that do not fit, and keeps spaces inside ucomm', () => {
    const text = [
      '  PID  PPID',
      '   5     1     0   100 Sat Nov 21 09:00:00 2026     Google Chrome H   ',
      'garbage',
      '   6     1     0   100 Sat Nov 21 09:00:00',
      '',
    ].join('\n');
    assert.deepEqual(
      parsePsStat(text).map((row) => [row.pid, row.ucomm]),
      [[5, 'Google Chrome H']],
    );
  });
});

describe('parsePsText (test/fixtures/macos)', () => {
  it("keeps the text after ps's one separator space exactly, mod_wsgi's padding included", () => {
    const comm = parsePsText(macFixture('homebrew', 'ps-comm.txt'));
    assert.equal(comm.get(612), '/opt/homebrew/opt/httpd/bin/httpd');
    assert.equal(comm.get(640), '(wsgi:django)                    ');
    assert.equal(comm.get(640)?.length, comm.get(612)?.length);
    assert.equal(comm.get(1), '(launchd)');
  });

  it("reads the (p_comm) stand-in ps prints for another user's process", () => {
    const comm = parsePsText(macFixture('system-user', 'ps-comm.txt'));
    assert.equal(comm.get(710), '(httpd)');
    assert.equal(comm.get(730), '-zsh');
  });

  it('reads an empty value, CRLF ends, and skips lines without a pid', () => {
    const values = parsePsText('  7\r\n  8 x \r\nPID COMM\n');
    assert.deepEqual(
      [...values],
      [
        [7, ''],
        [8, 'x '],
      ],
    );
  });
});

describe('splitArgv', () => {
  it("keeps argv[0] whole (spaces, padding) and splits the rest: mod_wsgi-express's parent", () => {
    const comm = parsePsText(macFixture('express', 'ps-comm.txt'));
    const args = parsePsText(macFixture('express', 'ps-args.txt'));
    const argv = splitArgv(comm.get(800) ?? '', args.get(800) ?? '');
    assert.equal(argv[0], 'httpd (mod_wsgi-express) ');
    assert.deepEqual(argv.slice(1, 3), ['-f', '/var/tmp/mod_wsgi-localhost:8000:501/httpd.conf']);
    assert.equal(argv.at(-1), '-DFOREGROUND');
  });

  it("a daemon's display-name, with Apache's own arguments after it", () => {
    const comm = parsePsText(macFixture('homebrew', 'ps-comm.txt'));
    const args = parsePsText(macFixture('homebrew', 'ps-args.txt'));
    assert.deepEqual(splitArgv(comm.get(640) ?? '', args.get(640) ?? ''), [
      '(wsgi:django)                    ',
      '-D',
      'FOREGROUND',
    ]);
  });

  it('is argv[0] alone when nothing follows it', () => {
    assert.deepEqual(splitArgv('(httpd)', '(httpd)'), ['(httpd)']);
  });

  it('splits args on white space when it does not start with comm, and is [] for nothing', () => {
    assert.deepEqual(splitArgv('other', ' a  b '), ['a', 'b']);
    assert.deepEqual(splitArgv('', '/usr/sbin/httpd -k start'), ['/usr/sbin/httpd', '-k', 'start']);
    assert.deepEqual(splitArgv('', ''), []);
  });
});
