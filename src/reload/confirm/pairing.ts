/**
 * The new pid that replaced `oldPid`, when timing proves it; otherwise null. Proof: a rolling step signalled
 * this one process, and between the group as it was just before the signal and as it is at the step's end,
 * exactly that process left and exactly one new one came, with no other member changing and no replacement
 * dying in between. Anything else (churn, another process exiting on its own) could be a different story,
 * so a pair is never guessed.
 */
export function proveReplacement(
  oldPid: number,
  beforeSignal: ReadonlyMap<number, string>,
  afterStep: ReadonlyMap<number, string>,
  diedDuringStep: number,
): number | null {
  if (diedDuringStep > 0) return null;
  const left = [...beforeSignal].filter(([pid, key]) => afterStep.get(pid) !== key).map(([pid]) => pid);
  const came = [...afterStep].filter(([pid, key]) => beforeSignal.get(pid) !== key).map(([pid]) => pid);
  const [only] = came;
  return left.length === 1 && left[0] === oldPid && came.length === 1 && only !== undefined ? only : null;
}
