import type { Member } from './identify.js';
import type { ApacheInstance } from './instance.js';

/** What a daemon of an unverified instance shows, with no group read into it. */
export interface DaemonEvidence {
  /** The id of the one mod_wsgi listener it holds (1-based order of WSGIDaemonProcess as Apache read it). */
  socketId: number | null;
  /** That listener's path, as the Apache parent holds it. */
  socketPath: string | null;
  /** argv[0] as seen: mod_wsgi's display-name, cut to the length of Apache's own argv[0]. */
  displayName: string;
}

/**
 * The raw evidence about one daemon. When an instance's identification is in doubt (a configuration
 * changed since Apache read it, say), which group a socket id or a cut name stands for is exactly what
 * cannot be trusted, so only these facts are shown.
 */
export function readEvidence(member: Member, instance: ApacheInstance): DaemonEvidence {
  const ids = member.socketIds ?? [];
  const socketId = ids.length === 1 ? (ids[0] ?? null) : null;
  const listener = [...(instance.context.listeners?.values() ?? [])].find((each) => each.id === socketId);
  return {
    socketId,
    socketPath: listener?.path ?? null,
    displayName: (member.process.argv[0] ?? '').trimEnd(),
  };
}

/** Unverified: every daemon's group label is withheld. */
export function isUnverified(instance: ApacheInstance): boolean {
  return instance.doubts.length > 0;
}
