import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileFiles, MAX_FILE_BYTES, parseCompileOutput } from '../../src/preflight/compile.js';

const PYTHON = '/usr/bin/python3';

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wsgictl-compile-'));
  chmodSync(dir, 0o755);
  return dir;
}

describe('compileFiles', () => {
  it("reports each kind of compile error with the compiler's own words, file and line", async (t) => {
    const dir = workspace();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, body: string | Buffer) => {
      writeFileSync(join(dir, name), body, { mode: 0o644 });
      return join(dir, name);
    };
    const good = write('good.py', 'def f():\n    return 1\n');
    const syntax = write('syntax.py', 'x = 1\ndef f(:\n    pass\n');
    const indent = write('indent.py', 'def f():\nreturn 1\n');
    const tabs = write('tabs.py', 'if True:\n        x = 1\n\ty = 2\n');
    const cookie = write('cookie.py', '# -*- coding: no-such-codec -*-\nx = 1\n');
    const bytes = write('bytes.py', Buffer.from([0x78, 0x20, 0x3d, 0x20, 0x27, 0xff, 0xfe, 0x27, 0x0a]));
    const run = await compileFiles({ python: PYTHON, files: [good, syntax, indent, tabs, cookie, bytes] });
    assert.match(run.version, /^3\.\d+\.\d+$/);
    const by = new Map(run.results.map((result) => [result.path, result]));
    assert.equal(by.get(good)?.status, 'ok');
    assert.deepEqual(
      [by.get(syntax)?.status, by.get(syntax)?.type, by.get(syntax)?.line],
      ['error', 'SyntaxError', 2],
    );
    assert.deepEqual([by.get(indent)?.type, by.get(indent)?.line], ['IndentationError', 2]);
    assert.deepEqual([by.get(tabs)?.type, by.get(tabs)?.line], ['TabError', 3]);
    assert.equal(by.get(cookie)?.type, 'SyntaxError');
    assert.match(by.get(cookie)?.message ?? '', /no-such-codec/);
    assert.equal(by.get(bytes)?.type, 'SyntaxError');
    assert.match(by.get(bytes)?.message ?? '', /utf-8|decode/i);
  });

  it('runs none of the code and writes no bytecode', async (t) => {
    const dir = workspace();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const marker = join(dir, 'ran');
    const file = join(dir, 'side.py');
    writeFileSync(file, `open(${JSON.stringify(marker)}, "w").write("ran")\n`, { mode: 0o644 });
    const run = await compileFiles({ python: PYTHON, files: [file] });
    assert.equal(run.results[0]?.status, 'ok');
    assert.equal(existsSync(marker), false);
    assert.deepEqual(readdirSync(dir).sort(), ['side.py']);
  });

  it('never blocks on a FIFO, and says which files it could not read or would not read', async (t) => {
    const dir = workspace();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const fifo = join(dir, 'fifo.py');
    execFileSync('mkfifo', [fifo]);
    const big = join(dir, 'big.py');
    writeFileSync(big, Buffer.alloc(MAX_FILE_BYTES + 1, 0x20));
    const missing = join(dir, 'missing.py');
    const run = await compileFiles({ python: PYTHON, files: [fifo, big, missing], timeoutMs: 10_000 });
    assert.deepEqual(
      run.results.map((result) => result.status),
      ['unreadable', 'too-big', 'unreadable'],
    );
  });

  it("reads as the group's user: a file only root may read is not read", async (t) => {
    if (process.getuid?.() !== 0) {
      t.skip('needs root to run the compiler as nobody');
      return;
    }
    const dir = workspace();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const secret = join(dir, 'secret.py');
    writeFileSync(secret, 'x = 1\n', { mode: 0o600 });
    const open = join(dir, 'open.py');
    writeFileSync(open, 'x = 1\n', { mode: 0o644 });
    const run = await compileFiles({ python: PYTHON, files: [secret, open], uid: 65534, gid: 65534 });
    assert.deepEqual(
      run.results.map((result) => [result.status, result.message ?? null]),
      [
        ['unreadable', 'Permission denied'],
        ['ok', null],
      ],
    );
  });

  it('is killed at its timeout', async (t) => {
    const dir = workspace();
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    // A Python that never answers stands in for a compiler stuck on a hostile file.
    const stuck = join(dir, 'stuck');
    writeFileSync(stuck, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const started = Date.now();
    await assert.rejects(
      compileFiles({ python: stuck, files: [], timeoutMs: 300 }),
      /took longer than 300 ms/,
    );
    t.diagnostic(`returned after ${Date.now() - started} ms`);
  });

  it('refuses output that is not its result', () => {
    assert.throws(() => parseCompileOutput('{"x": 1}'), /no result/);
    assert.throws(() => parseCompileOutput('garbage'));
  });
});
