import type { FailureKind } from '../../fleet/outcome.js';
import type { HostRun, PoolResult } from '../../fleet/pool.js';
import { formatElapsed } from '../../format.js';
import { MESSAGE_MAX_CHARS, neutralise, neutraliseDeep } from '../../terminal.js';
import type { Paint } from '../color.js';

/** One line per host that failed, for stderr: the host, what went wrong, what to do. */
export function describeFailures(runs: HostRun[], color: Paint): string[] {
  const lines: string[] = [];
  for (const run of runs) {
    const failure = run.outcome?.failure;
    if (run.state === 'failed' && failure)
      lines.push(
        `${color.red('wsgictl:')} ${neutralise(run.host)}: ${neutralise(failure.message, MESSAGE_MAX_CHARS)}`,
      );
  }
  return lines;
}

const REASON: Record<FailureKind, string> = {
  unreachable: 'unreachable',
  refused: 'ssh connection refused',
  auth: 'ssh authentication failed',
  'host-key': 'host key not known or changed',
  ssh: 'ssh failed',
  'not-installed': 'wsgictl not installed',
  sudo: 'sudo wants a password',
  'too-old': 'wsgictl too old',
  'too-large': 'output too large',
  remote: '',
};

/** Why a host failed, in a few words (its whole message is on stderr). */
function shortReason(failure: { kind: FailureKind; message: string } | undefined): string {
  if (!failure) return '';
  return REASON[failure.kind] || failure.message;
}

/** After a fleet reload: per host done / failed (why) / not started, and how long each took. */
export function describeSummary(raw: PoolResult, color: Paint): string[] {
  const result = neutraliseDeep(raw);
  const count = (state: HostRun['state']) => result.runs.filter((run) => run.state === state).length;
  const width = Math.max(...result.runs.map((run) => run.host.length));
  const lines = [
    color.bold(
      `hosts: ${count('done')} done, ${count('failed')} failed,${count('stopped') > 0 ? ` ${count('stopped')} stopped,` : ''} ${count('not-started')} not started${result.interrupted ? ' (stopped by Ctrl-C)' : ''}`,
    ),
  ];
  for (const run of result.runs) {
    const name = run.host.padEnd(width);
    if (run.state === 'done')
      lines.push(`  ${name}  ${color.green('done')}         ${formatElapsed(run.ms)}`);
    else if (run.state === 'stopped')
      lines.push(
        `  ${name}  ${color.yellow('stopped')}      ${formatElapsed(run.ms)}  after its current step (Ctrl-C)`,
      );
    else if (run.state === 'failed')
      lines.push(
        `  ${name}  ${color.red('failed')}       ${formatElapsed(run.ms)}  ${shortReason(run.outcome?.failure)} (exit ${run.outcome?.exitCode})`,
      );
    else lines.push(`  ${name}  ${color.yellow('not started')}`);
  }
  return lines;
}
