import { describeError, WsgictlError } from '../errors.js';
import type { GroupReloadResult } from './types.js';

/** One group in one instance whose reload threw. */
export interface PlanFailure {
  group: string;
  instance: number;
  error: unknown;
}

/** Some groups were reloaded and some failed: both are kept, the results for output, the errors as cause. */
export class PartialReloadError extends WsgictlError {
  readonly results: GroupReloadResult[];
  readonly failures: PlanFailure[];

  constructor(results: GroupReloadResult[], failures: PlanFailure[]) {
    const what = failures
      .map(
        (failure) => `"${failure.group}" (Apache pid ${failure.instance}): ${describeError(failure.error)}`,
      )
      .join('; ');
    super(
      'PARTIAL',
      `${failures.length} of ${failures.length + results.length} group reloads failed: ${what}`,
      {
        cause: new AggregateError(
          failures.map((failure) => failure.error),
          'group reloads that failed',
        ),
      },
    );
    this.name = 'PartialReloadError';
    this.results = results;
    this.failures = failures;
  }
}
