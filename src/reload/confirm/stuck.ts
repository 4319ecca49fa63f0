import type { RestartSignal } from '../signals.js';
import type { MemberReport } from '../types.js';
import type { Unheeded } from '../unheeded.js';

/** What is known, beyond the wait, about the processes that did not simply exit. */
export interface StuckFacts {
  signal: RestartSignal;
  /** Read before the signal. */
  unheeded: Unheeded[];
  /** pid -> ms from its signal to its SIGKILL (--kill-after). */
  killed: ReadonlyMap<number, number>;
  /** pid -> why --kill-after did not kill it after all. */
  spared: ReadonlyMap<number, string>;
  /** pid -> requests in flight at the end, for those still running (null: cannot tell). */
  inFlight: ReadonlyMap<number, number | null>;
}

function describeStillRunning(pid: number, facts: StuckFacts): string {
  const unheeded = facts.unheeded.find((u) => u.pid === pid);
  const why = unheeded ? [`${unheeded.fate === 'ignores' ? 'ignores' : 'blocks'} ${facts.signal}`] : [];
  const count = facts.inFlight.get(pid);
  why.push(count === 0 ? 'no request in flight' : 'its sockets could not be read to see requests in flight');
  const spared = facts.spared.get(pid);
  if (spared) why.push(`not killed: ${spared}`);
  return why.join('; ');
}

/**
 * Adds to each member what the signal masks, --kill-after and its sockets tell: a process still running is
 * `draining` only when it serves requests; one killed by --kill-after is `killed` (with its replacement).
 */
export function annotateMembers(members: MemberReport[], facts: StuckFacts): MemberReport[] {
  return members.map((member): MemberReport => {
    const unheeded = facts.unheeded.find((u) => u.pid === member.pid);
    const marked: MemberReport = {
      ...member,
      ...(unheeded?.fate === 'ignores' ? { ignoresSignal: true } : {}),
      ...(unheeded?.fate === 'blocks' ? { blocksSignal: true } : {}),
    };
    const after = facts.killed.get(member.pid);
    // Killed and replaced is `killed`; killed with no replacement up stays `missing` (and says it was killed).
    if (after !== undefined && member.state === 'replaced')
      return { ...marked, state: 'killed', killedAfterMs: after };
    if (after !== undefined && member.state === 'missing') return { ...marked, killedAfterMs: after };
    if (member.state !== 'draining') return marked;
    const count = facts.inFlight.get(member.pid);
    if (count !== undefined && count !== null && count > 0) return { ...marked, inFlight: count };
    return { ...marked, state: 'still-running', reason: describeStillRunning(member.pid, facts) };
  });
}
