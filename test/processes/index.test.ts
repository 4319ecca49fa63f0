import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProcessSource } from '../../src/processes/index.js';

describe('createProcessSource', () => {
  it('chooses the process table by platform, each source saying its os', () => {
    const chosen = (['linux', 'darwin', 'win32', 'freebsd'] as const).map((name) => {
      const source = createProcessSource(name);
      return [name, source.platform, source.os];
    });
    assert.deepEqual(chosen, [
      ['linux', 'linux', 'linux'],
      ['darwin', 'macos', 'darwin'],
      ['win32', 'ps-list', 'win32'],
      ['freebsd', 'ps-list', 'freebsd'],
    ]);
  });

  it("is this machine's by default", () => {
    const expected = { linux: 'linux', darwin: 'macos' }[process.platform as string] ?? 'ps-list';
    assert.equal(createProcessSource().platform, expected);
  });

  it('on Linux reads this very process from /proc', {
    skip: process.platform !== 'linux' && 'reads /proc',
  }, async () => {
    const self = await createProcessSource('linux').read(process.pid);
    assert.ok(self);
    assert.deepEqual([self.pid, self.ppid, self.uid], [process.pid, process.ppid, process.getuid?.()]);
    assert.equal(self.argv[0], process.argv0);
  });
});
