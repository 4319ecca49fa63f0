/** Write bits for group and others: a file or folder with either can be changed by someone else. */
export const GROUP_OTHER_WRITABLE = 0o022;

/** What fstat says of a file, as far as trust is concerned. */
export interface FileFacts {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  uid: number;
  mode: number;
  isFile: boolean;
  /** lstat of a path component: true for a symbolic link. */
  isLink?: boolean;
}

/**
 * An Apache parent's executable as this machine sees it: the link /proc/PID/exe names (in the process's own
 * mount namespace), whether the kernel marks it deleted, and fstat of the very file the process runs.
 */
export interface ExecutableFacts {
  /** Where the bytes the process runs can be read without following any path (`/proc/PID/exe`). */
  pinned: string | null;
  /** The path as the process's mount namespace names it, ` (deleted)` cut off. */
  path: string;
  deleted: boolean;
  /** fstat of the file the process runs; null when it cannot be opened (another user's, without root). */
  stat: FileFacts | null;
}

/** One folder above the executable, lstat'ed. */
export interface FolderFacts {
  path: string;
  stat: FileFacts | null;
}

export interface RunInput {
  executable: ExecutableFacts | null;
  /** '' when the process shares our mount namespace. */
  fileRoot: string;
  /** stat of `executable.path` as we resolve it now. */
  pathStat: FileFacts | null;
  folders: FolderFacts[];
  /** False for an instance run only because --instance named it although it is not trusted. */
  trusted: boolean;
}

/**
 * Why the executable must not be run for `-l`/`-v`, or null when it may: only a root-owned file that no one
 * else can write, in root-owned folders no one else can write, in our own mount namespace, and the very inode
 * the process runs. Anything else may be a file a user or a container wrote, which root must never execute.
 */
export function judgeRun(input: RunInput): string | null {
  const { executable, pathStat } = input;
  if (!input.trusted) return 'the instance is not trusted';
  if (executable === null || executable.stat === null) return 'its executable cannot be opened';
  if (input.fileRoot !== '') return 'it runs in another mount namespace (a container)';
  if (executable.deleted) return 'its executable was deleted or replaced since it started';
  const { stat } = executable;
  if (!stat.isFile) return 'its executable is not a regular file';
  if (stat.uid !== 0) return 'its executable is not owned by root';
  if ((stat.mode & GROUP_OTHER_WRITABLE) !== 0) return 'its executable is writable by group or others';
  if (pathStat === null || pathStat.dev !== stat.dev || pathStat.ino !== stat.ino) {
    return `${executable.path} is no longer the file the process runs`;
  }
  for (const folder of input.folders) {
    const facts = folder.stat;
    if (facts === null || facts.isLink || facts.isFile) return `${folder.path} is not a plain folder`;
    if (facts.uid !== 0 || (facts.mode & GROUP_OTHER_WRITABLE) !== 0) {
      return `${folder.path} is not root's alone (owner uid ${facts.uid}, mode ${(facts.mode & 0o7777).toString(8)})`;
    }
  }
  return null;
}

/** Every folder above an absolute path, outermost first: /usr/sbin/apache2 -> /, /usr, /usr/sbin. */
export function listFolders(path: string): string[] {
  const parts = path.split('/').filter((part) => part !== '');
  parts.pop();
  const folders = ['/'];
  for (let i = 1; i <= parts.length; i++) folders.push(`/${parts.slice(0, i).join('/')}`);
  return folders;
}
