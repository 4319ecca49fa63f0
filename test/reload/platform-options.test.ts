import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WsgictlError } from '../../src/errors.js';
import { assertPlatformOptions } from '../../src/reload/platform-options.js';

function refusal(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof WsgictlError);
    assert.equal(error.exitCode, 2);
    return error.message;
  }
  return assert.fail('not refused');
}

describe('assertPlatformOptions', () => {
  it('UNIX refuses the Windows-only options, each of them, in one line', () => {
    for (const extra of [
      { service: 'Apache2.4' },
      { pidfile: 'C:/Apache24/logs/httpd.pid' },
      { allowStopStart: true },
    ]) {
      assert.match(
        refusal(() => assertPlatformOptions({ groups: ['django'], ...extra }, 'unix')),
        /^--service, --pidfile and --allow-stop-start are for Windows, where a reload restarts the whole Apache; /,
      );
    }
    assertPlatformOptions({ groups: ['django'], rolling: true, signal: 'SIGUSR1', wait: false }, 'unix');
  });

  it('Windows refuses every option only daemon mode honours, all named in one line', () => {
    const message = refusal(() =>
      assertPlatformOptions({ groups: ['django'], rolling: true, killAfterMs: 1000, wait: false }, 'windows'),
    );
    assert.match(
      message,
      /^--rolling cannot be honoured on Windows: .*; --kill-after cannot be honoured on Windows: .*; --no-wait cannot be honoured on Windows: /,
    );
    assert.equal(message.includes('\n'), false);
    assertPlatformOptions({ groups: ['django'], service: 'Apache2.4', allowStopStart: true }, 'windows');
  });
});
