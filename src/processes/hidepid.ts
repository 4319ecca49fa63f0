import { readFileSync } from 'node:fs';

/** How /proc hides other users' processes: the mount's hidepid= and gid= options. */
export interface ProcHiding {
  /** `2`, `invisible`, `1`, `noaccess`, ... as the kernel prints it. */
  hidepid: string;
  /** Members of this group see every process anyway. */
  gid: number | null;
}

/** The hidepid setting of the proc mount at `procRoot` in /proc/self/mountinfo text, or null when it hides nothing. */
export function parseProcHiding(mountinfo: string, procRoot = '/proc'): ProcHiding | null {
  let found: ProcHiding | null = null;
  for (const line of mountinfo.split('\n')) {
    const [mount, fs] = line.split(' - ');
    if (!mount || !fs) continue;
    const [type, , superOptions = ''] = fs.split(' ');
    if (type !== 'proc' || mount.split(' ')[4] !== procRoot) continue;
    const options = new Map(superOptions.split(',').map((option) => option.split('=') as [string, string]));
    const hidepid = options.get('hidepid');
    const gid = options.get('gid');
    // The last mount at that point is the one seen; `0`/`off` hides nothing.
    found =
      hidepid && hidepid !== '0' && hidepid !== 'off'
        ? { hidepid, gid: gid !== undefined && /^\d+$/.test(gid) ? Number(gid) : null }
        : null;
  }
  return found;
}

/**
 * Whether /proc hides other users' processes from this caller: a hidepid mount, and we are neither root
 * nor in its gid= group.
 */
export function findProcHiding(procRoot = '/proc'): ProcHiding | null {
  if (process.geteuid?.() === 0) return null;
  let hiding: ProcHiding | null;
  try {
    hiding = parseProcHiding(readFileSync('/proc/self/mountinfo', 'utf8'), procRoot);
  } catch {
    return null;
  }
  if (hiding?.gid != null && (process.getgroups?.() ?? []).includes(hiding.gid)) return null;
  return hiding;
}
