import { utimesSync } from 'node:fs';
import { WsgictlError } from '../errors.js';

/**
 * Sets the WSGI script's mtime to now: with WSGIScriptReloading On (the default), the daemon that serves
 * the next request for it restarts. Needs write access to the file, not to the processes.
 */
export function touchScript(path: string, now = new Date()): void {
  try {
    utimesSync(path, now, now);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new WsgictlError('USAGE', `no WSGI script at ${path}: pass the file named by WSGIScriptAlias`, {
        cause: error,
      });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new WsgictlError(
        'PERMISSION',
        `may not change ${path} (${code}): run as its owner, or with sudo`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}
