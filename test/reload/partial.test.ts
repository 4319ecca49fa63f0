import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WsgictlError } from '../../src/errors.js';
import { PartialReloadError } from '../../src/reload/partial.js';
import type { GroupReloadResult } from '../../src/reload/types.js';

const done: GroupReloadResult = {
  instance: 812,
  group: 'django',
  signal: 'SIGUSR1',
  oldPids: [900],
  newPids: [901],
  ms: 120,
  outcome: 'replaced',
  skipped: [],
  missing: 0,
  members: [{ pid: 900, state: 'replaced', newPid: 901 }],
};

describe('PartialReloadError', () => {
  it('counts the failures among all reloads and names each, with its Apache', () => {
    const refused = new WsgictlError('REFUSED', 'evidence disagrees');
    const denied = new Error('kill EPERM');
    const error = new PartialReloadError(
      [done],
      [
        { group: 'flask', instance: 812, error: refused },
        { group: 'api', instance: 930, error: denied },
      ],
    );
    assert.equal(
      error.message,
      '2 of 3 group reloads failed: "flask" (Apache pid 812): evidence disagrees; "api" (Apache pid 930): kill EPERM',
    );
    assert.equal(error.name, 'PartialReloadError');
    assert.ok(error instanceof WsgictlError);
    assert.deepEqual([error.code, error.exitCode], ['PARTIAL', 1]);
  });

  it('keeps the results for output and every original error in an AggregateError cause', () => {
    const failure = { group: 'flask', instance: 812, error: new Error('boom') };
    const error = new PartialReloadError([done], [failure]);
    assert.deepEqual(error.results, [done]);
    assert.deepEqual(error.failures, [failure]);
    assert.ok(error.cause instanceof AggregateError);
    assert.deepEqual((error.cause as AggregateError).errors, [failure.error]);
  });

  it('names a thrown non-Error by its value', () => {
    const error = new PartialReloadError([], [{ group: 'g', instance: 1, error: 'plain text' }]);
    assert.equal(error.message, '1 of 1 group reloads failed: "g" (Apache pid 1): plain text', error.message);
  });

  it('names an error thrown as undefined or null instead of failing itself', () => {
    const error = new PartialReloadError([], [{ group: 'g', instance: 1, error: undefined }]);
    assert.equal(error.message, '1 of 1 group reloads failed: "g" (Apache pid 1): undefined');
    const nothing = new PartialReloadError([], [{ group: 'g', instance: 1, error: null }]);
    assert.equal(nothing.message, '1 of 1 group reloads failed: "g" (Apache pid 1): null');
  });
});
