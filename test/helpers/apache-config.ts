import type { ApacheBuild } from '../../src/apache/binary/apache-build.js';
import type { ApacheCommandLine } from '../../src/apache/config/model.js';
import { loadApacheConfig } from '../../src/apache/config/reader.js';
import { memoryFiles } from '../../src/files/view.js';
import type { ApacheInstance } from '../../src/groups/instance.js';

/** Debian's apache2 as `apache2 -l` and `-v` answer (the module list recorded on this project's machine). */
export const DEBIAN_BUILD: ApacheBuild = {
  modules: new Set([
    'core.c',
    'mod_so.c',
    'mod_watchdog.c',
    'http_core.c',
    'mod_log_config.c',
    'mod_logio.c',
    'mod_version.c',
    'mod_unixd.c',
  ]),
  version: '2.4.62',
};

/** The command line of an Apache started with `-f /srv/httpd.conf -d /srv`, plus what a test adds. */
export function commandLine(extra: Partial<ApacheCommandLine> = {}): ApacheCommandLine {
  return {
    configFile: '/srv/httpd.conf',
    serverRoot: '/srv',
    defines: new Map(),
    preDirectives: [],
    postDirectives: [],
    ...extra,
  };
}

/**
 * Just enough of an instance for what reads its configuration (the check, the error log): `/srv/httpd.conf`
 * holding `conf`, read with ServerRoot `serverRoot`, under an apache2 parent with pid `pid`.
 */
export function instanceOfConfig(conf: string, serverRoot: string, pid: number): ApacheInstance {
  const config = loadApacheConfig(
    commandLine({ serverRoot }),
    {},
    { modules: null, version: null },
    memoryFiles({ '/srv/httpd.conf': conf }),
  );
  return { config, fileRoot: '', parent: { pid, comm: 'apache2' } } as unknown as ApacheInstance;
}
