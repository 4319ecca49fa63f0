import { type FileFacts, type FolderFacts, GROUP_OTHER_WRITABLE } from '../apache/binary/run-rules.js';

/** What is known of an interpreter before wsgictl (root) lets it run. */
export interface PythonFacts {
  /** The path as configured (`/srv/venv/bin/python3`). */
  path: string;
  /** Its real path, every link resolved: the file that is run, by this path. */
  real: string | null;
  /** fstat of `real`, opened without following a link. */
  stat: FileFacts | null;
  /** Every folder above `real`, lstat'ed, outermost first. */
  folders: FolderFacts[];
  /** Its standard library folder (PREFIX/lib/python3.X), which it imports from at start-up. */
  stdlib: FolderFacts | null;
}

function judgeFolder(folder: FolderFacts, what: string): string | null {
  const facts = folder.stat;
  if (facts === null) return `${what} ${folder.path} cannot be read`;
  if (facts.isLink || facts.isFile) return `${what} ${folder.path} is not a plain folder`;
  if (facts.uid !== 0 || (facts.mode & GROUP_OTHER_WRITABLE) !== 0) {
    return `${what} ${folder.path} is not root's alone (owner uid ${facts.uid}, mode ${(facts.mode & 0o7777).toString(8)})`;
  }
  return null;
}

/**
 * Why this Python must not be run for the pre-flight, or null when it may: a root-owned regular file that no
 * one else can write, reached through root-owned folders no one else can write, with a standard library
 * that only root can change either (the interpreter imports from it before any of our code runs). A Python a
 * user could write, or could swap a folder under, would be that user's program run as root's choice.
 */
export function judgePython(facts: PythonFacts): string | null {
  if (facts.real === null || facts.stat === null) return `${facts.path} cannot be opened`;
  const { stat } = facts;
  if (!stat.isFile) return `${facts.real} is not a regular file`;
  if (stat.uid !== 0) return `${facts.real} is not owned by root (uid ${stat.uid})`;
  if ((stat.mode & GROUP_OTHER_WRITABLE) !== 0) {
    return `${facts.real} is writable by group or others (mode ${(stat.mode & 0o7777).toString(8)})`;
  }
  for (const folder of facts.folders) {
    const why = judgeFolder(folder, 'folder');
    if (why) return why;
  }
  if (facts.stdlib === null) return `the standard library of ${facts.real} cannot be found`;
  return judgeFolder(facts.stdlib, 'its standard library');
}
