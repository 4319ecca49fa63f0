import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('the public API', () => {
  it('registers no process handler when imported, and leaves the demo sandbox out', async () => {
    const before = ['exit', 'SIGINT', 'SIGTERM'].map((event) => process.listenerCount(event));
    const api = await import('../src/index.js');
    assert.deepEqual(
      ['exit', 'SIGINT', 'SIGTERM'].map((event) => process.listenerCount(event)),
      before,
    );
    assert.equal('startSandbox' in api, false);
    for (const name of [
      'discoverApache',
      'reloadGroups',
      'createPlatform',
      'PartialReloadError',
      'loadApacheConfig',
      'planGroupCheck',
      'openGroupLogs',
      'parseLogLine',
      'createTopSampler',
    ])
      assert.equal(typeof (api as Record<string, unknown>)[name], 'function', name);
  });
});
