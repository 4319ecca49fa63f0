/**
 * How each mod_wsgi line of releases words the error-log lines wsgictl reads, in one place. 4.x and 5.x start
 * their own messages with `mod_wsgi (pid=N): ` (or `mod_wsgi (pid=N, process='G', application='A'): `); 6.x
 * dropped that prefix, says `daemon process 'G'` where the older lines said `process 'G'`, and puts a
 * `WSGI####: ` code before its warnings and errors, which wsgictl keeps as written. The recorded logs under
 * test/fixtures/mod_wsgi/VERSION/ are the evidence for every pattern here.
 */

function quote(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether a daemon wrote this line about itself, naming its group: 4.x/5.x `Starting process 'G'`, `Stopping
 * process 'G'`, `Exiting process 'G'`, `Shutdown requested 'G'`, `... triggering immediate shutdown 'G'` and
 * `process='G'`; 6.x also `... daemon process 'G'.` (its start line, its interpreter and shutdown lines). The
 * parent's lines about a daemon say `Process 'G'` (4.x/5.x) or name the pid (6.x `daemon process 'G'
 * (pid=N)`), and are not the daemon's own. An interpreter's quoted name (`Attach interpreter 'X'`) is an
 * application group, which may share a process group's name: not evidence.
 */
export function isDaemonOwnLine(message: string, group: string): boolean {
  const g = quote(group);
  return new RegExp(
    `(?:Starting|Stopping|Exiting) process '${g}'|(?:Shutdown requested|triggering immediate shutdown) '${g}'|process='${g}'|daemon process '${g}'(?! \\(pid=)`,
  ).test(message);
}

/**
 * The process a line is about when its text names one: 4.x/5.x's `mod_wsgi (pid=N)` prefix (in the parent's
 * lines too), 6.x's parent lines `Process 'G' (pid=N) ...` and `... daemon process 'G' (pid=N)`, and httpd's
 * own `AH00052: child pid N exit signal ...`. Null when the text names none (then the writer is the subject).
 */
export function findNamedPid(message: string): number | null {
  const named =
    /^mod_wsgi \(pid=(\d+)|^(?:WSGI\d+: )?(?:Process|[A-Z][a-z]+ daemon process) '[^']*' \(pid=(\d+)\)|\bchild pid (\d+) exit\b/.exec(
      message,
    );
  const pid = named?.[1] ?? named?.[2] ?? named?.[3];
  return pid === undefined ? null : Number(pid);
}

/** The daemon of `group` a parent's line is about: 4.x `mod_wsgi (pid=N): Process 'G' ...`, 6.x `Process 'G' (pid=N) ...`. */
export function findGroupSubject(message: string, group: string): number | null {
  const v6 = new RegExp(`(?:Process|daemon process) '${quote(group)}' \\(pid=(\\d+)\\)`).exec(message);
  if (v6) return Number(v6[1]);
  const v4 = /^mod_wsgi \(pid=(\d+)[,)]/.exec(message);
  if (v4 && message.includes(`Process '${group}'`)) return Number(v4[1]);
  return null;
}

/** mod_wsgi 4.x/5.x's prefix, without which the same error from two daemons reads the same. */
export function stripPidPrefix(message: string): string {
  return message.replace(/^mod_wsgi \(pid=\d+(, [^)]*)?\): /, '');
}

/**
 * mod_wsgi's own reasons to stop a daemon (4.x/5.x: "..., triggering ..."; 6.x: "...; triggering ..."). 6.x
 * logs a SIGUSR1 without eviction-timeout as `Graceful restart requested; triggering immediate shutdown`,
 * then `Shutdown requested for daemon process 'G'.`; 4.x/5.x as `Process eviction requested`.
 */
export const RESTART_REASONS: readonly [RegExp, string][] = [
  [/Maximum requests reached[,;]/, 'maximum-requests reached'],
  [/Application restart (?:timer|interval) expired/, 'restart-interval expired'],
  [/idle inactivity timer expired/, 'inactivity-timeout expired'],
  [/request time limit exceeded/, 'request-timeout exceeded'],
  [/deadlock timer expired/, 'deadlock-timeout expired'],
  [/graceful timer expired/, 'graceful-timeout expired'],
  [/Process eviction requested/, 'eviction requested (SIGUSR1)'],
  [/Graceful restart requested[,;]/, 'graceful restart requested (SIGUSR1)'],
  [/Shutdown requested/, 'shutdown requested (SIGINT or SIGTERM)'],
  [/Requests have completed[,;]/, 'requests completed after a graceful restart'],
  [/Exceeded CPU time limit/, 'cpu-time-limit exceeded'],
];

/** Lines with which a daemon says it could not start (mod_wsgi's set-up steps, the start-up timeout). */
export const STARTUP_FAILURE =
  /Couldn't (?:bind|create|listen|initialise|set)|Unable to (?:change|set)|startup timer expired/;

/** The parent's notice that a daemon of a group is gone (`Process 'G' ... has died` / `... terminated ...`). */
export const DAEMON_ENDED = /\b(?:has died|terminated)\b/;

/** The parent's notice that a daemon ended: 4.x/5.x and 6.x alike end it with these words. */
export const NORMAL_EXIT = /terminated normally, exit code (\d+)/;
export const SIGNAL_EXIT = /terminated by signal (\d+)/;
