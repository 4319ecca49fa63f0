import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { ApacheInstallation } from './install.js';
import type { SandboxGroupSpec, SandboxOptions } from './types.js';

/** The WSGI app every group serves: it answers "GROUP PID" and sleeps with ?sleep=MS. */
export const APP = `import os, time

def application(environ, start_response):
    query = environ.get('QUERY_STRING', '')
    if query.startswith('sleep='):
        time.sleep(int(query[6:]) / 1000.0)
    body = ('%s %d\\n' % (environ.get('mod_wsgi.process_group'), os.getpid())).encode()
    start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', str(len(body)))])
    return [body]
`;

function daemonUser(): string | null {
  if (userInfo().uid !== 0) return null;
  const passwd = readFileSync('/etc/passwd', 'utf8');
  return /^www-data:/m.test(passwd) ? 'www-data' : 'nobody';
}

function groupOf(user: string): string {
  const groups = readFileSync('/etc/group', 'utf8');
  return new RegExp(`^${user}:`, 'm').test(groups) ? user : 'nogroup';
}

function wrap(section: string | undefined, lines: string[]): string[] {
  if (!section) return lines;
  const name = section.split(/\s+/)[0] as string;
  return [`<${section}>`, ...lines.map((line) => `  ${line}`), `</${name}>`];
}

function daemonLines(group: SandboxGroupSpec): string[] {
  const display = group.displayName === null ? '' : ` display-name=${group.displayName}`;
  return wrap(group.section, [
    `WSGIDaemonProcess ${group.name} processes=${group.processes} threads=${group.threads}${display}${group.options ? ` ${group.options}` : ''}`,
  ]);
}

/** The group files of `groupFiles`: name -> text, numbered 10, 20, ... in the given order. */
export function groupFileTexts(groups: SandboxGroupSpec[]): Map<string, string> {
  return new Map(
    groups.map((group, i) => [`${(i + 1) * 10}-${group.name}.conf`, `${daemonLines(group).join('\n')}\n`]),
  );
}

function socketDirOf(options: SandboxOptions): string | undefined {
  return typeof options.namespaces === 'object' ? options.namespaces.socketDir : undefined;
}

/** The modules a sandbox loads: Apache's own, then mod_wsgi (pip's may need its Python's library first). */
export function moduleLines(install: ApacheInstallation): string[] {
  return [
    ...install.modules.map((name) => `LoadModule ${name}_module "${install.modulesDir}/mod_${name}.so"`),
    ...install.loadFiles.map((file) => `LoadFile "${file}"`),
    `LoadModule wsgi_module "${install.wsgiModule}"`,
    ...(install.pythonHome === null ? [] : [`WSGIPythonHome "${install.pythonHome}"`]),
  ];
}

export function renderConfig(
  root: string,
  configDir: string,
  port: number,
  install: ApacheInstallation,
  groups: SandboxGroupSpec[],
  options: SandboxOptions,
): string {
  const user = daemonUser();
  const lines = [
    `ServerRoot ${root}`,
    `PidFile ${root}/httpd.pid`,
    `Listen 127.0.0.1:${port}`,
    'ServerName 127.0.0.1',
    ...moduleLines(install),
    `ErrorLog ${root}/error.log`,
    'LogLevel info',
    'StartServers 1',
    'ServerLimit 2',
    'ThreadsPerChild 25',
    'MaxRequestWorkers 50',
    ...(user ? [`User ${user}`, `Group ${groupOf(user)}`] : []),
    `WSGISocketPrefix ${socketDirOf(options) ?? `${root}/run`}/wsgi`,
  ];
  if (options.groupFiles) lines.push(`IncludeOptional ${configDir}/conf.d/*.conf`);
  else for (const group of groups) lines.push(...daemonLines(group));
  for (const group of groups) {
    lines.push(
      ...wrap(group.section, [
        `WSGIScriptAlias /${group.name} ${root}/app.wsgi process-group=${group.name} application-group=%{GLOBAL}`,
      ]),
    );
  }
  lines.push(`<Directory ${root}>`, '  Require all granted', '</Directory>', options.extraConfig ?? '');
  return `${lines.join('\n')}\n`;
}
