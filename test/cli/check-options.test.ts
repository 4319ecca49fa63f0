import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import {
  createCheckOption,
  createCheckTimeoutOption,
  hideInternalPresets,
  toCheckOptions,
} from '../../src/cli/check-options.js';
import { DEFAULT_CHECK_TIMEOUT_MS } from '../../src/health/check.js';

function parse(args: string[]): { check?: string[]; checkTimeout?: string } {
  const command = new Command('reload')
    .exitOverride()
    .argument('[group]')
    .addOption(createCheckOption())
    .addOption(createCheckTimeoutOption());
  command.parse(args, { from: 'user' });
  return command.opts();
}

describe('createCheckOption', () => {
  it('is absent without --check, [] when bare, and collects each URL', () => {
    assert.equal(parse(['django']).check, undefined);
    assert.deepEqual(parse(['django', '--check']).check, []);
    assert.deepEqual(parse(['django', '--check', 'http://a/', '--check', 'http://b/']).check, [
      'http://a/',
      'http://b/',
    ]);
  });

  it('keeps the URLs of an earlier --check URL when a bare --check follows', () => {
    assert.deepEqual(parse(['django', '--check', 'http://a/', '--check']).check, ['http://a/']);
  });

  it('says what a failure does', () => {
    assert.match(createCheckOption('go on watching').description, /on a failure .* and go on watching$/);
    assert.match(createCheckOption().description, /and exit 1$/);
  });
});

describe('hideInternalPresets', () => {
  it('drops the (preset: "") commander would print for --check, and keeps other options as they are', () => {
    const command = new Command('reload')
      .addOption(createCheckOption())
      .option('--timeout <d>', 'how long', '30s');
    assert.match(command.helpInformation(), /preset: ""/);
    hideInternalPresets(command);
    const help = command.helpInformation();
    assert.doesNotMatch(help, /preset/);
    assert.match(help, /--check \[url\]/);
    assert.match(help, /how long \(default: "30s"\)/);
  });
});

describe('toCheckOptions', () => {
  it('is undefined without --check', () => {
    assert.equal(toCheckOptions({}), undefined);
  });

  it('takes the default timeout, or the one given', () => {
    assert.deepEqual(toCheckOptions({ check: [] }), { urls: [], timeoutMs: DEFAULT_CHECK_TIMEOUT_MS });
    assert.deepEqual(toCheckOptions({ check: ['HTTPS://x/health'], checkTimeout: '2s' }), {
      urls: ['HTTPS://x/health'],
      timeoutMs: 2000,
    });
  });

  it('refuses --check-timeout without --check', () => {
    assert.throws(() => toCheckOptions({ checkTimeout: '2s' }), {
      code: 'USAGE',
      exitCode: 2,
      message: '--check-timeout goes with --check',
    });
  });

  it('refuses a URL that is not http(s), with the order that works', () => {
    assert.throws(() => toCheckOptions({ check: ['django'] }), {
      code: 'USAGE',
      message:
        '--check "django" is not an http(s) URL: put the group first (wsgictl reload GROUP --check), or give a URL such as http://127.0.0.1/health',
    });
    assert.throws(() => toCheckOptions({ check: ['http://ok/', 'ftp://x/'] }), {
      message: /^--check "ftp:\/\/x\/"/,
    });
  });

  it('refuses a zero or malformed timeout', () => {
    assert.throws(() => toCheckOptions({ check: [], checkTimeout: '0s' }), {
      code: 'USAGE',
      message: '--check-timeout must be above zero, e.g. 10s',
    });
    assert.throws(() => toCheckOptions({ check: [], checkTimeout: 'soon' }), { code: 'USAGE' });
  });

  it('--expect and --expect-status go with --check and reach its options', () => {
    assert.deepEqual(toCheckOptions({ check: [], expect: 'v2.3', expectStatus: '201' }), {
      urls: [],
      timeoutMs: DEFAULT_CHECK_TIMEOUT_MS,
      expect: 'v2.3',
      expectStatus: 201,
    });
    assert.throws(() => toCheckOptions({ expect: 'v2.3' }), /--expect goes with --check/);
    assert.throws(() => toCheckOptions({ expectStatus: '200' }), /--expect-status goes with --check/);
    for (const bad of ['2000', 'ok', '099', '600']) {
      assert.throws(() => toCheckOptions({ check: [], expectStatus: bad }), /is not an HTTP status/);
    }
    assert.throws(() => toCheckOptions({ check: [], expect: '' }), /needs a text/);
  });
});
