import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apacheSkipReason, useSandbox } from '../helpers/apache.js';
import { interruptWhen, startCli } from '../helpers/cli.js';

const skip = apacheSkipReason();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Ctrl-C during a rolling reload (real Apache)', { skip }, () => {
  it('finishes the process under way, signals no more, reports the rest as not signalled (exit 130)', async (t) => {
    const sandbox = await useSandbox(t, { groups: [{ name: 'django', processes: 3 }] });
    const before = [...sandbox.startedDaemons().keys()];
    assert.equal(before.length, 3);
    const running = startCli(['reload', 'django', '--rolling', '--instance', String(sandbox.pid)]);
    // The first replacement is printed as it happens: Ctrl-C then, while the next step runs.
    const { code, stdout, stderr } = await interruptWhen(running, /^ {2}\d+ -> \d+$/m);
    assert.equal(code, 130, stdout + stderr);
    assert.match(stderr, /stopping after the current step \(Ctrl-C again quits at once\)/);
    const summary = /stopped by Ctrl-C after [\d.]+s: (\d) replaced, (\d) not signalled/.exec(stdout);
    assert.ok(summary, stdout);
    const [replaced, notSignalled] = [Number(summary[1]), Number(summary[2])];
    assert.ok(replaced >= 1 && notSignalled >= 1 && replaced + notSignalled === 3, stdout);
    // The truth: mod_wsgi started as many daemons as were replaced, and the others still run as they were.
    assert.equal(sandbox.startedDaemons().size, 3 + replaced);
    assert.equal(before.filter(alive).length, notSignalled);
    for (const line of stdout.matchAll(/^ {2}(\d+) not signalled/gm))
      assert.ok(alive(Number(line[1])), line[0]);
  });
});
