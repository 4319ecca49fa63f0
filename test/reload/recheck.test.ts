import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import type { ApacheInstance } from '../../src/groups/instance.js';
import { createProcessSource } from '../../src/processes/index.js';
import { checkStillTarget, findRefused } from '../../src/reload/recheck.js';

describe('checkStillTarget', { skip: process.platform === 'win32' && 'needs a POSIX sleep' }, () => {
  const instance = {
    parent: { pid: 1 },
    context: { parentPid: 1, argv0Length: 7, groups: [] },
  } as unknown as ApacheInstance;

  it('is null for the same process, still shown as the group (an uncut display-name)', async (t) => {
    const daemon = spawn('sleep', ['30'], { stdio: 'ignore', argv0: '(wsgi:django)' });
    t.after(() => daemon.kill());
    const source = createProcessSource();
    const info = await source.read(daemon.pid as number);
    assert.ok(info);
    assert.equal(await checkStillTarget(source, info, instance, 'django'), null);
    assert.equal(await checkStillTarget(source, info, instance, 'flask'), 'no longer identified as "flask"');
  });

  it('reports a pid that now belongs to another process (same pid, other start time)', async (t) => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    t.after(() => sleeper.kill());
    const source = createProcessSource();
    const info = await source.read(sleeper.pid as number);
    assert.ok(info);
    const earlier = { ...info, startKey: String(Number(info.startKey) - 1) };
    assert.equal(
      await checkStillTarget(source, earlier, instance, 'django'),
      'pid was reused by another process',
    );
  });

  it('reports a process that exited', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    const source = createProcessSource();
    const info = await source.read(sleeper.pid as number);
    assert.ok(info);
    await new Promise((resolve) => {
      sleeper.once('exit', resolve);
      sleeper.kill();
    });
    assert.equal(await checkStillTarget(source, info, instance, 'django'), 'exited before it was signalled');
  });
});

describe('findRefused', () => {
  it('lists exactly the targets that answer EPERM to signal 0', () => {
    const eperm = Object.assign(new Error('EPERM'), { code: 'EPERM' });
    const targets = [{ pid: 10 }, { pid: 11 }, { pid: 12 }] as never[];
    const refused = findRefused(targets, (pid) => {
      if (pid === 11) throw eperm;
    });
    assert.deepEqual(
      refused.map((t: { pid: number }) => t.pid),
      [11],
    );
  });

  it('does not count a target that is gone (ESRCH) as refused', () => {
    const esrch = Object.assign(new Error('ESRCH'), { code: 'ESRCH' });
    const targets = [{ pid: 10 }] as never[];
    assert.deepEqual(
      findRefused(targets, () => {
        throw esrch;
      }),
      [],
    );
  });
});
