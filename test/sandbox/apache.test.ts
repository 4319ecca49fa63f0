import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('the demo sandbox', () => {
  it('adds no exit handler when imported, and exactly one however many sandboxes start', async (t) => {
    // Imported here, not at the top (nor through test helpers, which import it): node --test runs each file
    // in a process of its own, so this is the module's first evaluation and the count before it is clean.
    const before = process.listenerCount('exit');
    const { startSandbox } = await import('../../src/sandbox/apache.js');
    assert.equal(process.listenerCount('exit'), before, 'importing the sandbox registered an exit handler');

    const { apacheSkipReason } = await import('../helpers/apache.js');
    const skip = apacheSkipReason();
    if (skip) return t.skip(skip);
    for (let started = 1; started <= 2; started++) {
      const sandbox = await startSandbox({ groups: [{ name: 'django' }] });
      t.after(() => sandbox.stop());
      assert.equal(process.listenerCount('exit'), before + 1, `after sandbox ${started}`);
    }
  });
});

describe('the module a sandbox loads', () => {
  it('is the mod_wsgi the bytes name, as the running Apache itself reports it (AH00489), and its daemons are seen starting', async (t) => {
    const { apacheSkipReason, useSandbox } = await import('../helpers/apache.js');
    const { findApache, sandboxWsgiVersion } = await import('../../src/sandbox/install.js');
    const skip = apacheSkipReason();
    if (skip) return t.skip(skip);
    const install = findApache();
    assert.ok(install);
    const version = sandboxWsgiVersion(install);
    assert.match(version ?? '', /^\d+\.\d+\.\d+$/, `no version read from ${install.wsgiModule}`);
    t.diagnostic(`mod_wsgi ${version} from ${install.wsgiModule} (${install.source})`);
    const sandbox = await useSandbox(t, { groups: [{ name: 'django', processes: 2 }] });
    const { readFileSync } = await import('node:fs');
    const log = readFileSync(sandbox.errorLog, 'utf8');
    const reported = /AH00489: Apache\/[\d.]+[^\n]* mod_wsgi\/(\d+\.\d+\.\d+)/.exec(log)?.[1];
    assert.equal(reported, version);
    if (process.env.WSGICTL_MOD_WSGI) assert.equal(install.source, 'WSGICTL_MOD_WSGI');
    assert.equal(sandbox.startedDaemons().size, 2);
  });
});

describe('parseStartedDaemons', () => {
  it("reads 4.x/5.x's prefixed line and 6.x's bare one, and nothing else", async () => {
    const { parseStartedDaemons } = await import('../../src/sandbox/apache.js');
    const log = [
      "[Wed Dec 02 10:00:00.1 2026] [wsgi:info] [pid 11:tid 1] mod_wsgi (pid=11): Starting process 'django' with uid=33, gid=33 and threads=2.",
      "[Wed Dec 02 10:00:00.2 2026] [wsgi:info] [pid 12:tid 12] Starting daemon process 'flask' with uid=33, gid=33 and threads=2.",
      "[Wed Dec 02 10:00:00.3 2026] [wsgi:info] [pid 13:tid 13] Starting thread 1 in daemon process 'flask'.",
      "[Wed Dec 02 10:00:00.4 2026] [wsgi:info] [pid 14:tid 14] Attaching to Python main interpreter in daemon process 'api'.",
    ].join('\n');
    assert.deepEqual(
      [...parseStartedDaemons(log)],
      [
        [11, 'django'],
        [12, 'flask'],
      ],
    );
  });
});
