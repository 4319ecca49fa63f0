import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

/**
 * Directives that make `group`'s daemons ignore `signal` from the moment they start, as an app can once
 * `WSGIRestrictSignal Off` lets it: a script preloaded into the group (WSGIImportScript) sets SIG_IGN.
 * Its folder is removed after the test.
 */
export function ignoreSignalConfig(t: TestContext, group: string, signal: 'SIGINT' | 'SIGTERM'): string {
  const dir = mkdtempSync(join(tmpdir(), 'wsgictl-ignore-'));
  chmodSync(dir, 0o755);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const script = join(dir, 'ignore.py');
  writeFileSync(script, `import signal\nsignal.signal(signal.${signal}, signal.SIG_IGN)\n`, { mode: 0o644 });
  return [
    'WSGIRestrictSignal Off',
    `WSGIImportScript ${script} process-group=${group} application-group=%{GLOBAL}`,
  ].join('\n');
}

/** A group's app that records, in a file, each signal mod_wsgi 6.x hands it: one `PID SIGNAME` line each. */
export interface SubscribedApp {
  /** Directives that preload the subscriber into the group (WSGIImportScript). */
  config: string;
  /** The lines written so far. */
  lines(): string[];
}

/**
 * Preloads into `group` a script that calls mod_wsgi.subscribe_signals (6.x only; older modules have no
 * such function, and the script then subscribes nothing) and appends `PID SIGNAME` to a file for each
 * signal. With `exitOn`, the process also ends itself on that signal, as a broken handler would.
 */
export function subscribeSignalsConfig(
  t: TestContext,
  group: string,
  exitOn?: 'SIGHUP' | 'SIGUSR2',
): SubscribedApp {
  const dir = mkdtempSync(join(tmpdir(), 'wsgictl-subscribe-'));
  // The daemons run as www-data or nobody: they write the record into this folder.
  chmodSync(dir, 0o777);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const record = join(dir, 'seen.log');
  const script = join(dir, 'subscribe.py');
  writeFileSync(
    script,
    [
      'import os, mod_wsgi',
      'def on_signal(name, **event):',
      `    with open(${JSON.stringify(record)}, 'a') as f:`,
      "        f.write('%d %s\\n' % (os.getpid(), event.get('signame')))",
      `    if event.get('signame') == ${JSON.stringify(exitOn ?? '')}:`,
      '        os._exit(3)',
      "if hasattr(mod_wsgi, 'subscribe_signals'):",
      '    mod_wsgi.subscribe_signals(on_signal)',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  return {
    config: `WSGIImportScript ${script} process-group=${group} application-group=%{GLOBAL}`,
    lines: () => (existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : []),
  };
}
