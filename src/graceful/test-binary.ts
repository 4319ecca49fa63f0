import { inspectExecutable, inspectPath } from '../apache/binary/executable.js';
import { judgeRun } from '../apache/binary/run-rules.js';
import { WsgictlError } from '../errors.js';
import type { ApacheInstance } from '../groups/instance.js';
import type { ProcessSource } from '../processes/types.js';

/** The instance's own binary, when the same rules as for `-l`/`-v` allow running it; else exit 5 with why. */
export async function findTestBinary(source: ProcessSource, instance: ApacheInstance): Promise<string> {
  const executable = await inspectExecutable(source, instance.parent.pid);
  const inspected =
    executable && instance.fileRoot === '' && !executable.deleted
      ? inspectPath(executable.path)
      : { pathStat: null, folders: [] };
  const refusal = judgeRun({
    executable,
    fileRoot: instance.fileRoot,
    ...inspected,
    trusted: !instance.distrust,
  });
  if (refusal !== null || !executable) {
    throw new WsgictlError(
      'REFUSED',
      `will not run the binary of Apache pid ${instance.parent.pid} for its config test: ${refusal ?? 'it cannot be found'}; nothing was signalled (restart it with its own tools)`,
    );
  }
  return executable.path;
}
