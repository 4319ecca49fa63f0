import { userName } from '../processes/users.js';

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

export interface TrustInput {
  parentUid: number;
  parentUser: string;
  /** Our effective uid; null where the platform has none (Windows). */
  euid: number | null;
  executable: ExecutableFacts | null;
}

const GROUP_OTHER_WRITABLE = 0o022;

/**
 * Why an Apache parent is not trusted as an instance, or null when it is: it must run as root or as the
 * caller, and the file it runs must be owned by root or the caller and writable by no one else. Anyone can
 * start a program called apache2; only root's and our own are believed about their configuration and
 * children, because only those could have been set up by someone allowed to tell wsgictl what to signal.
 */
export function judgeTrust(input: TrustInput): string | null {
  const { euid, parentUid } = input;
  if (euid === null || parentUid < 0) return null; // no uids on this platform: nothing to tell apart
  if (parentUid !== 0 && parentUid !== euid) {
    return `runs as ${input.parentUser || userName(parentUid)} (uid ${parentUid}), not as root or as you`;
  }
  const stat = input.executable?.stat;
  if (!stat) return null; // not readable to us: root's own process, which a user cannot make run their file
  if (stat.uid !== 0 && stat.uid !== euid) {
    return `its executable ${input.executable?.path} is owned by ${userName(stat.uid)} (uid ${stat.uid}), not by root or you`;
  }
  if ((stat.mode & GROUP_OTHER_WRITABLE) !== 0) {
    return `its executable ${input.executable?.path} is writable by group or others (mode ${(stat.mode & 0o7777).toString(8)})`;
  }
  return null;
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
