import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
