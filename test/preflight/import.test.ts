import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { importScript, parseImportReport } from '../../src/preflight/import.js';

// Debian's interpreter, the one mod_wsgi links (another python3 may come first on PATH).
const PYTHON = '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'wsgictl-import-'));
chmodSync(dir, 0o755);
after(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text, { mode: 0o644 });
  return path;
}

describe('importScript (the real /usr/bin/python3)', () => {
  it('runs the script with python-path first; what the app prints is not taken for the report', async () => {
    const lib = join(dir, 'lib');
    script('lib_marker.py', '');
    const path = script(
      'ok.wsgi',
      'import sys\nprint("{not json")\nsys.stderr.write("noise\\n")\nimport helper_mod\napplication = helper_mod.app\n',
    );
    writeFileSync(join(dir, 'helper_mod.py'), 'def app(e, s):\n    return []\n');
    const result = await importScript({ python: PYTHON, script: path, pythonPath: [dir, lib], home: null });
    assert.deepEqual(result, { path, status: 'ok' });
  });

  it('an exception at import: its type, message and traceback down to the line that raised', async () => {
    const path = script('raise.wsgi', 'x = 1\nraise RuntimeError("no database")\n');
    const result = await importScript({ python: PYTHON, script: path, pythonPath: [], home: null });
    assert.deepEqual([result.status, result.type, result.message], ['error', 'RuntimeError', 'no database']);
    assert.match(result.traceback?.join('') ?? '', new RegExp(`File "${path}", line 2`));
  });

  it('a script that hangs is killed at the timeout, with what it started', async () => {
    const marker = join(dir, 'sleeper.pid');
    const path = script(
      'hang.wsgi',
      `import subprocess, time\np = subprocess.Popen(["sleep", "60"])\nopen(${JSON.stringify(marker)}, "w").write(str(p.pid))\ntime.sleep(60)\n`,
    );
    const started = Date.now();
    await assert.rejects(
      importScript({ python: PYTHON, script: path, pythonPath: [], home: null, timeoutMs: 1500 }),
      /took longer than 1500 ms/,
    );
    // Had only the interpreter been killed, its child would hold the pipes open for its whole 60 s.
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < 30, `ended ${seconds}s after the start, not when the app's child did`);
    const sleeper = Number(readFileSync(marker, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Gone, or dead and not yet reaped by whoever inherited it (state Z): not running either way.
    let state = 'gone';
    try {
      state = /\) (\S)/.exec(readFileSync(`/proc/${sleeper}/stat`, 'utf8'))?.[1] ?? 'gone';
    } catch {}
    assert.ok(['gone', 'Z'].includes(state), `the app's child ${sleeper} was killed too (state ${state})`);
  });

  it('runs as the user it is given: a file only root may read cannot be imported as nobody', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to run as nobody');
    const path = script('secret.wsgi', 'application = None\n');
    chmodSync(path, 0o600);
    const result = await importScript({
      python: PYTHON,
      script: path,
      pythonPath: [],
      home: null,
      uid: 65534,
      gid: 65534,
    });
    assert.deepEqual([result.status, result.type], ['error', 'PermissionError']);
  });

  it('a report without the fields is refused', () => {
    assert.throws(() => parseImportReport('{"status":"ok"}'), /printed no result/);
    assert.deepEqual(parseImportReport('{"path":"/a","status":"ok","traceback":[1,"x"]}'), {
      path: '/a',
      status: 'ok',
      traceback: ['x'],
    });
  });
});
