import { parseLogLine } from '../../errorlog/parse.js';
import type { GroupReloadResult } from '../../reload/types.js';
import type { Paint } from '../color.js';

/**
 * The processes replaced with no proven pair, as one set: `replaced 32559, 32560 -> 4146, 4154`. Which new
 * pid stands in for which old one is not known, so none is printed beside another.
 */
export function describeReplacedSet(result: GroupReloadResult): string[] {
  const old = result.members
    .filter((m) => (m.state === 'replaced' || m.state === 'killed') && m.newPid === undefined)
    .map((m) => m.pid);
  if (old.length === 0) return [];
  const paired = new Set(result.members.map((m) => m.newPid));
  const fresh = result.newPids.filter((pid) => !paired.has(pid));
  const churned = (result.replacementsEnded ?? []).filter((end) => end.kind === 'churn').length;
  const since =
    churned > 0 ? `${fresh.length > 0 ? ', and ' : ''}${churned} that came up and ended in order since` : '';
  return [`  replaced ${old.join(', ')} -> ${fresh.join(', ')}${since || (fresh.length === 0 ? '-' : '')}`];
}

/** What the log says of the replacements that ended during the wait (not a crash loop: that has its own). */
export function describeEnded(result: GroupReloadResult, color: Paint): string[] {
  const ended = result.replacementsEnded ?? [];
  if (result.outcome === 'crash-loop' || ended.length === 0) return [];
  const count = (n: number) => `${n} replacement${n === 1 ? '' : 's'}`;
  const lines: string[] = [];
  const churned = ended.filter((end) => end.kind === 'churn');
  const unknown = ended.filter((end) => end.kind === 'unknown');
  const crashed = ended.filter((end) => end.kind === 'crash');
  if (churned.length > 0) {
    const why = [...new Set(churned.map((end) => end.why))].join(', ');
    lines.push(
      `  ${count(churned.length)} ended during the wait in an orderly way (${why}); mod_wsgi started others: churn, not a crash`,
    );
  }
  if (crashed.length > 0) {
    const first = crashed[0];
    lines.push(
      color.yellow(
        `  ${count(crashed.length)} ended abnormally during the wait: ${first?.why}: ${first?.line}`,
      ),
    );
  }
  if (unknown.length > 0) {
    lines.push(
      color.yellow(
        `  ${count(unknown.length)} ended during the wait; the error log does not say why (at LogLevel warn an orderly end leaves no line: set LogLevel info to see it)`,
      ),
    );
  }
  return lines;
}

/** The first line that shows a replacement died abnormally, as the log has it after its fields. */
export function quoteEvidence(result: GroupReloadResult): string {
  const line = result.crashLoop?.evidence?.find((each) => each !== '');
  return line ? `: the log says "${parseLogLine(line).message}"` : '';
}
