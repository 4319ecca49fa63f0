import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeError,
  type ErrorCode,
  EXIT,
  isErrorCode,
  isVanishedOrDenied,
  usageError,
  WsgictlError,
} from '../src/errors.js';

describe('WsgictlError', () => {
  it('maps each code to its exit code', () => {
    const expected: Record<ErrorCode, number> = {
      USAGE: 2,
      NO_SUCH_GROUP: 3,
      NO_PROCESSES: 3,
      PERMISSION: 4,
      REFUSED: 5,
      HOST: 6,
      PARTIAL: 1,
      NOT_SUPPORTED: 1,
      FAILED: 1,
    };
    for (const [code, exitCode] of Object.entries(expected)) {
      const error = new WsgictlError(code as ErrorCode, 'm');
      assert.equal(error.exitCode, exitCode, code);
      assert.equal(error.code, code);
    }
  });

  it('is an Error named WsgictlError that keeps its message and cause', () => {
    const cause = new Error('ENOENT');
    const error = new WsgictlError('FAILED', 'it failed', { cause });
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'WsgictlError');
    assert.equal(error.message, 'it failed');
    assert.equal(error.cause, cause);
  });
});

describe('EXIT', () => {
  it('holds the documented exit codes', () => {
    assert.deepEqual(EXIT, {
      ok: 0,
      failed: 1,
      usage: 2,
      noMatch: 3,
      permission: 4,
      refused: 5,
      host: 6,
      interrupted: 130,
      terminated: 143,
    });
  });
});

describe('isErrorCode', () => {
  it('is true for the error codes only', () => {
    assert.equal(isErrorCode('REFUSED'), true);
    assert.equal(isErrorCode('HOST'), true);
    for (const other of ['refused', 'ENOENT', '', 'toString', 'constructor'])
      assert.equal(isErrorCode(other), false, other);
  });
});

describe('usageError', () => {
  it('is a USAGE error with exit code 2', () => {
    const error = usageError('bad option');
    assert.ok(error instanceof WsgictlError);
    assert.deepEqual([error.code, error.exitCode, error.message], ['USAGE', 2, 'bad option']);
  });
});

describe('isVanishedOrDenied', () => {
  it('is true for the errno codes of a process gone or closed to us', () => {
    for (const code of ['ENOENT', 'ESRCH', 'EACCES', 'EPERM', 'EINVAL'])
      assert.equal(isVanishedOrDenied(Object.assign(new Error(code), { code })), true, code);
  });

  it('is false for other errors and non-errors', () => {
    for (const value of [
      Object.assign(new Error('x'), { code: 'EIO' }),
      Object.assign(new Error('x'), { code: 'EMFILE' }),
      new Error('no code'),
      undefined,
      null,
      'ENOENT',
    ])
      assert.equal(isVanishedOrDenied(value), false, String(value));
  });

  it('is true for a real ENOENT from the file system', async () => {
    const { readFile } = await import('node:fs/promises');
    const error = await readFile('/proc/0/no-such-file').catch((caught: unknown) => caught);
    assert.equal(isVanishedOrDenied(error), true);
  });
});

describe('describeError', () => {
  it("gives an Error's message and any other thrown value as it prints", () => {
    assert.equal(describeError(new Error('boom')), 'boom');
    assert.equal(describeError('plain text'), 'plain text');
    assert.equal(describeError(undefined), 'undefined');
    assert.equal(describeError(null), 'null');
    assert.equal(describeError(42), '42');
  });
});
