/**
 * Reading Apple's `ps` (adv_cmds ps/print.c). Three columns matter and each tells a different thing:
 * - `ucomm`: the kernel's p_comm, the executable's name set at exec and kept across fork. mod_wsgi never
 *   touches it, so it is what Linux calls comm: a daemon's reads `httpd` like its parent's.
 * - `comm`: argv[0] as the process holds it now (KERN_PROCARGS2), up to its NUL: a daemon shows its
 *   display-name here, padded with spaces to the length of the argv[0] Apache was started with.
 * - `args`: the same memory with every NUL up to argc turned into a space.
 * When the kernel refuses KERN_PROCARGS2 (another user's process, and we are not root) ps prints `(p_comm)`
 * for both `comm` and `args`.
 */

/** The columns asked of ps, each text column last so that it is printed whole and never padded. */
export const PS_STAT_COLUMNS = 'pid=,ppid=,uid=,rss=,lstart=,ucomm=';
export const PS_ARGV0_COLUMNS = 'pid=,comm=';
export const PS_ARGS_COLUMNS = 'pid=,args=';

export interface PsStat {
  pid: number;
  ppid: number;
  uid: number;
  /** Resident size in KiB; 0 when ps could not learn it (no task port for another user's process). */
  rssKiB: number;
  /** `lstart` as printed: strftime("%c") in the C locale, local time. */
  lstart: string;
  ucomm: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LSTART = String.raw`\w{3} (\w{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})`;
const STAT_LINE = new RegExp(String.raw`^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(${LSTART})\s+(.*)$`);

/** `Sat Nov 21 09:00:00 2026` (local time, as ps prints it with LC_ALL=C) -> a Date; null if not that form. */
export function parseLstart(text: string): Date | null {
  const match = new RegExp(`^${LSTART}$`).exec(text.trim());
  if (!match) return null;
  const [, month, day, hours, minutes, seconds, year] = match;
  const index = MONTHS.indexOf(month as string);
  if (index < 0) return null;
  return new Date(Number(year), index, Number(day), Number(hours), Number(minutes), Number(seconds));
}

/** Parses `ps -axww -o pid=,ppid=,uid=,rss=,lstart=,ucomm=`; lines that do not fit are skipped. */
export function parsePsStat(text: string): PsStat[] {
  const rows: PsStat[] = [];
  for (const line of text.split('\n')) {
    const match = STAT_LINE.exec(line);
    if (!match) continue;
    rows.push({
      pid: Number(match[1]),
      ppid: Number(match[2]),
      uid: Number(match[3]),
      rssKiB: Number(match[4]),
      lstart: match[5] as string,
      // ucomm is left-justified to its width (MAXCOMLEN): the padding is ps's, not the name's.
      ucomm: (match[12] ?? '').trimEnd(),
    });
  }
  return rows;
}

/**
 * Parses `ps -o pid=,X=` where X is the last column: pid -> X exactly as printed (the one space after the
 * right-aligned pid is ps's separator; trailing spaces are the process's own, e.g. mod_wsgi's padding).
 */
export function parsePsText(text: string): Map<number, string> {
  const values = new Map<number, string>();
  for (const line of text.split('\n')) {
    const match = /^\s*(\d+)(?: (.*))?$/.exec(line.replace(/\r$/, ''));
    if (match) values.set(Number(match[1]), match[2] ?? '');
  }
  return values;
}

/**
 * argv from ps's `comm` (argv[0] whole, spaces and padding included) and `args` (argv joined by single
 * spaces). What follows argv[0] is split on whitespace: an argument that holds spaces cannot be told from
 * two, which only matters for a path with spaces after `-f`/`-d`.
 */
export function splitArgv(argv0: string, args: string): string[] {
  if (argv0 !== '' && args.startsWith(argv0)) {
    const rest = args.slice(argv0.length).trim();
    return rest === '' ? [argv0] : [argv0, ...rest.split(/\s+/)];
  }
  const words = args.trim().split(/\s+/);
  return words[0] === '' ? [] : words;
}
