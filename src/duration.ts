import { usageError } from './errors.js';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)?$/;
const MS_PER_UNIT = { ms: 1, s: 1000, m: 60_000 } as const;

/** What every duration option's --help says about its value, so that no option tells a different story. */
export const DURATION_HELP = '500ms, 2s, 1m; a bare number is seconds';

export interface DurationOptions {
  /** The option the value came from (`--debounce`), for the message. */
  option?: string;
  /**
   * Refuse a bare number other than 0. For the options whose bare number used to mean milliseconds
   * (`--debounce`, `--poll`): reading `200` as 200 seconds would turn a watch deaf without a word.
   */
  unitRequired?: boolean;
}

/**
 * "500ms", "2s", "1m", or a bare number of seconds, in milliseconds. Seconds because that is what
 * `--timeout` has always read, and what `timeout(1)`, `sleep` and systemd read.
 */
export function parseDuration(value: string, options: DurationOptions = {}): number {
  const what = options.option ? `${options.option} ` : '';
  const match = DURATION.exec(value.trim());
  if (!match) {
    const bare = options.unitRequired ? '' : ', or a number of seconds';
    throw usageError(`${what}"${value}" is not a duration: write e.g. 500ms, 2s or 1m${bare}`);
  }
  const amount = Number(match[1]);
  const unit = match[2] as keyof typeof MS_PER_UNIT | undefined;
  if (unit === undefined && options.unitRequired && amount !== 0) {
    throw usageError(
      `${what}${value.trim()} needs a unit, e.g. ${match[1]}ms: a bare number used to mean milliseconds here, and means seconds in every other wsgictl duration`,
    );
  }
  return Math.round(amount * MS_PER_UNIT[unit ?? 's']);
}
