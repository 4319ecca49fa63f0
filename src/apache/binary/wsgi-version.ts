/**
 * The version a mod_wsgi module says it is, read from its bytes: the module builds its server banner as
 * "mod_wsgi/%s" from MOD_WSGI_VERSION_STRING, and every release seen (4.9.4, 5.0.2, 6.0.5 built with gcc)
 * places that version as the NUL-ended string right before the format string. Null when the bytes hold no
 * banner format, or the string before it is not a version (a module that is not mod_wsgi, or laid out
 * otherwise): undecided, never a guess.
 */
export function readWsgiVersionBytes(bytes: Buffer): string | null {
  const marker = Buffer.from('\0mod_wsgi/%s\0', 'latin1');
  const at = bytes.indexOf(marker);
  if (at <= 0) return null;
  // At most 32 bytes back: a version string is short, and a missing NUL must not make this scan far.
  const start = Math.max(0, at - 32);
  const before = bytes.subarray(start, at).toString('latin1');
  const match = /\0(\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(before);
  return match?.[1] ?? null;
}

/** The major version of a "X.Y.Z" string. */
export function majorOf(version: string): number {
  return Number(version.split('.')[0]);
}
