import { type Command, Help, Option } from 'commander';
import { usageError } from '../errors.js';
import { type CheckOptions, DEFAULT_CHECK_TIMEOUT_MS } from '../health/check.js';
import { parseDuration } from '../reload/index.js';

/** `--check` alone is `[]` (the group's mount points); each `--check URL` adds a URL. */
export interface CheckFlags {
  check?: string[];
  checkTimeout?: string;
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
    return undefined;
  }
  for (const url of urls) {
    if (!/^https?:\/\//i.test(url))
      throw usageError(
        `--check "${url}" is not an http(s) URL: put the group first (wsgictl reload GROUP --check), or give a URL such as http://127.0.0.1/health`,
      );
  }
  const timeoutMs =
    flags.checkTimeout === undefined ? DEFAULT_CHECK_TIMEOUT_MS : parseDuration(flags.checkTimeout);
  if (timeoutMs <= 0) throw usageError('--check-timeout must be above zero, e.g. 10s');
  return { urls, timeoutMs };
}
