import { type ExecutableFacts, GROUP_OTHER_WRITABLE } from '../apache/binary/run-rules.js';
import { userName } from '../processes/users.js';

export interface TrustInput {
  parentUid: number;
  parentUser: string;
  /** Our effective uid; null where the platform has none (Windows). */
  euid: number | null;
  executable: ExecutableFacts | null;
}

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
