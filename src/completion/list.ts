import { discoverApache } from '../groups/discover.js';
import { knownGroups } from '../groups/lookup.js';
import type { ProcessSource } from '../processes/types.js';

export type Listable = 'groups' | 'instances';
export const LISTABLE: readonly Listable[] = ['groups', 'instances'];

/**
 * Only names a shell can take as one plain word: group names come from configuration files that others
 * write, and a completion script puts them on the user's command line. bash's `compgen -W` also expands
 * its word list, so a `$(...)` or a backquote must never reach it.
 */
export function isPlainWord(text: string): boolean {
  return /^[A-Za-z0-9_.@%+=:,][A-Za-z0-9_.@%+=:,-]{0,63}$/.test(text);
}

/**
 * What `completion --list` prints, one per line: the running Apache's group names or parent pids, as the
 * invoking user sees them (the same discovery as `ps`, nothing privileged).
 */
export async function listCompletions(what: Listable, source: ProcessSource): Promise<string[]> {
  const { instances } = await discoverApache(source);
  const items =
    what === 'groups' ? knownGroups(instances) : instances.map((instance) => String(instance.parent.pid));
  return [...new Set(items.filter(isPlainWord))].sort();
}
