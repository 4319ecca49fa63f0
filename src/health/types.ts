import type { ErrorLogReport } from '../errorlog/group-errors.js';

/** One request of a health check and how it was judged. */
export interface HealthCheck {
  /** The URL as a user would type it. */
  url: string;
  /** Where the request went (`127.0.0.1:8080`), when that is not what the URL's name says. */
  address: string;
  /** The HTTP status, or null when no answer came (refused, reset, timeout). */
  status: number | null;
  /**
   * The status line's reason phrase as the server sent it (`Bad Gateway`), printable ASCII, at most 64
   * characters; absent when it sent none.
   */
  reason?: string;
  /**
   * The application answered: any status below 500, a 404 included (Python ran to say it), but not mod_wsgi
   * 4.x/5.x's `200 Rejected` (a daemon restarting, which can leak to the client in a restart loop).
   */
  ok: boolean;
  ms: number;
  /**
   * With --expect / --expect-status: what the answer lacked (`the body does not contain "v2.3"`,
   * `status 200, not 201`); the entry is then not ok, even if the app answered.
   */
  unexpected?: string;
  /** Why there was no answer (`connection refused`, `no answer within 10s`). */
  error?: string;
}

/** What `--check` adds to a group's reload result (also a `check` event of `watch --json`). */
export interface CheckReport {
  /** One entry per mount point (or per URL given). */
  health: HealthCheck[];
  /** Mount points of the group that were not requested, and why. */
  unchecked: string[];
  /**
   * After a failed check: the error-log lines written since just before the signal by the new daemons or
   * naming the group, at warn or above (and the parent's notices that a daemon died), in log order.
   */
  errors: string[];
  errorLogs: ErrorLogReport[];
}
