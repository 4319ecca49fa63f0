import { type Command, Help, Option } from 'commander';
import { usageError } from '../errors.js';
import { type CheckOptions, DEFAULT_CHECK_TIMEOUT_MS } from '../health/check.js';
import { parseDuration } from '../reload/index.js';

/** `--check` alone is `[]` (the group's mount points); each `--check URL` adds a URL. */
export interface CheckFlags {
  check?: string[];
  checkTimeout?: string;
  expect?: string;
  expectStatus?: string;
}

/** Options whose preset only carries a bare flag to the parser: not a value a user would type. */
const INTERNAL_PRESETS = new WeakSet<Option>();

/**
 * `--check [URL]`, on `reload` and `watch`: repeatable, and bare for the group's own mount points.
 * `onFailure` says what a failed check does: reload exits 1, watch goes on watching.
 */
export function createCheckOption(onFailure = 'exit 1'): Option {
  const option = new Option(
    '--check [url]',
    `once the replacements are up, request the group's mount points (or this URL; repeatable); on a failure show the error log's lines and ${onFailure}`,
  )
    // A bare --check reaches the parser as '', so it keeps the URLs of an earlier --check URL.
    .preset('')
    .argParser((value: string, previous: string[] = []) => (value === '' ? previous : [...previous, value]));
  INTERNAL_PRESETS.add(option);
  return option;
}

/** Commander's help, without the `(preset: "")` it would print for --check. */
export function hideInternalPresets(command: Command): void {
  const help = new Help();
  command.configureHelp({
    optionDescription: (option) =>
      INTERNAL_PRESETS.has(option) ? option.description : help.optionDescription(option),
  });
}

/** `--expect TEXT`: the release deployed is the one answering, not merely something that answers. */
export function createExpectOption(): Option {
  return new Option(
    '--expect <text>',
    "with --check: each answer's body must contain this text (in its first MiB), e.g. the release's version",
  );
}

/** `--expect-status CODE`: each answer must have exactly this status. */
export function createExpectStatusOption(): Option {
  return new Option('--expect-status <code>', 'with --check: each answer must have this HTTP status');
}

export function createCheckTimeoutOption(): Option {
  return new Option('--check-timeout <duration>', 'how long each check request may take (default 10s)');
}

/**
 * The check the flags ask for, or undefined. `reload --check django` would read the group as the URL: that
 * mistake is caught here, with the order that works.
 */
export function toCheckOptions(flags: CheckFlags): CheckOptions | undefined {
  const urls = flags.check;
  if (urls === undefined) {
    if (flags.checkTimeout !== undefined) throw usageError('--check-timeout goes with --check');
    if (flags.expect !== undefined) throw usageError('--expect goes with --check');
    if (flags.expectStatus !== undefined) throw usageError('--expect-status goes with --check');
    return undefined;
  }
  if (flags.expect === '') throw usageError('--expect needs a text to look for in the answers');
  const status = flags.expectStatus;
  if (status !== undefined && (!/^\d{3}$/.test(status) || Number(status) < 100 || Number(status) > 599))
    throw usageError(`--expect-status "${status}" is not an HTTP status: give a number from 100 to 599`);
  for (const url of urls) {
    if (!/^https?:\/\//i.test(url))
      throw usageError(
        `--check "${url}" is not an http(s) URL: put the group first (wsgictl reload GROUP --check), or give a URL such as http://127.0.0.1/health`,
      );
  }
  const timeoutMs =
    flags.checkTimeout === undefined ? DEFAULT_CHECK_TIMEOUT_MS : parseDuration(flags.checkTimeout);
  if (timeoutMs <= 0) throw usageError('--check-timeout must be above zero, e.g. 10s');
  return {
    urls,
    timeoutMs,
    ...(flags.expect === undefined ? {} : { expect: flags.expect }),
    ...(status === undefined ? {} : { expectStatus: Number(status) }),
  };
}
