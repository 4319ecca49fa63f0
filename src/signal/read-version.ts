import { closeSync, fstatSync } from 'node:fs';
import { readWsgiVersionBytes } from '../apache/binary/wsgi-version.js';
import { resolveErrorLog } from '../errorlog/locate.js';
import { parseLogLine } from '../errorlog/parse.js';
import { openRegular, readRange } from '../files/safe-files.js';
import { hostFiles } from '../files/view.js';
import type { ApacheInstance } from '../groups/instance.js';

/** What one source says of the mod_wsgi an Apache runs: a version, or why it says nothing. */
export type VersionReading = { version: string } | { version: null; reason: string };

/** How much of the end of the main error log is searched for the start line. */
export const START_LINE_TAIL_BYTES = 8 << 20;
/** A mod_wsgi module larger than this is not read (6.0.5 built with debug symbols is about 1.5 MiB). */
export const MODULE_MAX_BYTES = 64 << 20;

const MODULE_IN_BANNER = /(?:^| )mod_wsgi\/(\d{1,3}\.\d{1,3}\.\d{1,3})(?= |$)/;

/**
 * The mod_wsgi version in the last `AH00489: Apache/2.4.62 (Debian) mod_wsgi/6.0.5 Python/3.11 configured --
 * resuming normal operations` line that the Apache parent (`parentPid` as it sees itself) wrote: the server
 * banner, to which every loaded module adds itself, written at each start and graceful restart. Only a line
 * in httpd's own format from an MPM counts; a line of another pid (a daemon's stderr, another Apache sharing
 * the log) does not.
 */
export function findStartLineVersion(text: string, parentPid: number): VersionReading {
  let last: string | null = null;
  for (const raw of text.split('\n')) {
    if (!raw.includes('AH00489: ')) continue;
    const line = parseLogLine(raw);
    const fromParent = line.pid === parentPid && line.module?.startsWith('mpm_') === true;
    if (fromParent && line.message.startsWith('AH00489: ')) last = line.message;
  }
  if (last === null) return { version: null, reason: `holds no start line (AH00489) of pid ${parentPid}` };
  const version = MODULE_IN_BANNER.exec(last)?.[1];
  if (version === undefined) return { version: null, reason: 'has a start line that names no mod_wsgi' };
  return { version };
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied: run with sudo)';
  return `cannot be read (${code ?? (error as Error).message})`;
}

/** The start line's version from the instance's main ErrorLog (the one the parent writes to). */
export function readStartLineVersion(instance: ApacheInstance): VersionReading {
  const root = instance.fileRoot;
  const written = instance.config.sites?.errorLog ?? null;
  const log = resolveErrorLog(written, instance.config.serverRoot, hostFiles(root));
  if (log.path === null) return { version: null, reason: `is ${log.reason ?? 'not a file'}` };
  let opened: { fd: number; size: number };
  try {
    opened = openRegular(root, log.path);
  } catch (error) {
    return { version: null, reason: describeError(error) };
  }
  try {
    const from = Math.max(0, opened.size - START_LINE_TAIL_BYTES);
    const text = readRange(opened.fd, from, opened.size).toString('utf8');
    const reading = findStartLineVersion(text, instance.parent.nsPid);
    if (reading.version !== null || from === 0) return reading;
    return { version: null, reason: `${reading.reason} in its last ${START_LINE_TAIL_BYTES >> 20} MiB` };
  } catch (error) {
    return { version: null, reason: describeError(error) };
  } finally {
    closeSync(opened.fd);
  }
}

/**
 * The version in the bytes of the `LoadModule wsgi_module` file. A file changed after Apache last read its
 * configuration (an upgrade without a restart) need not be the module Apache runs: it says nothing then.
 */
export function readModuleVersion(instance: ApacheInstance): VersionReading {
  const path = instance.config.wsgiModule ?? null;
  if (path === null) return { version: null, reason: 'is not named: no LoadModule wsgi_module was read' };
  let fd: number;
  try {
    fd = openRegular(instance.fileRoot, path).fd;
  } catch (error) {
    return { version: null, reason: `${path} ${describeError(error)}` };
  }
  try {
    const stat = fstatSync(fd);
    if (Math.max(stat.mtimeMs, stat.ctimeMs) > instance.configReadAt.getTime()) {
      return { version: null, reason: `${path} changed after Apache loaded it (restart Apache to load it)` };
    }
    if (stat.size > MODULE_MAX_BYTES)
      return { version: null, reason: `${path} is larger than ${MODULE_MAX_BYTES >> 20} MiB` };
    const version = readWsgiVersionBytes(readRange(fd, 0, stat.size));
    return version === null
      ? { version: null, reason: `${path} holds no mod_wsgi version string` }
      : { version };
  } catch (error) {
    return { version: null, reason: `${path} ${describeError(error)}` };
  } finally {
    closeSync(fd);
  }
}
