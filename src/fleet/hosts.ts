import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { usageError } from '../errors.js';

/**
 * A host name as ssh takes it: `host`, `user@host`, an alias of the ssh config, an IPv6 address. Never
 * one that ssh would read as an option (`-oProxyCommand=...`), and never `host:port`, which ssh does not
 * understand (a Port line in the ssh config, or --ssh-option Port=N, says that).
 */
export function checkHostName(name: string, where: string): string {
  const host = name.trim();
  if (host === '')
    throw usageError(`${where}: an empty host name; give one as ssh takes it (web1, deploy@web1)`);
  if (host.startsWith('-')) throw usageError(`${where}: "${host}" is not a host name (it starts with -)`);
  if (/\s/.test(host)) throw usageError(`${where}: "${host}" holds a space; one host per entry`);
  const port = /^(?:[^@:]+@)?[^:@]+:(\d+)$/.exec(host);
  if (port) {
    throw usageError(
      `${where}: "${host}" is not ssh syntax: put "Port ${port[1]}" under its Host entry in the ssh config, or pass --ssh-option Port=${port[1]}`,
    );
  }
  return host;
}

/** A hosts file's text: one host per line; `#` starts a comment; blank lines are skipped. */
export function parseHostsFile(text: string, label: string): string[] {
  const hosts: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const bare = line.replace(/#.*/, '').trim();
    if (bare !== '') hosts.push(checkHostName(bare, `${label}:${index + 1}`));
  });
  return hosts;
}

export interface HostSources {
  host?: string[];
  hostsFile?: string;
}

/**
 * Every host to reach, in the order given (--host ones first, then the file's), each once. `readStdin`
 * is asked only for `--hosts-file -`.
 */
export function collectHosts(sources: HostSources, cwd: string, readStdin: () => string): string[] {
  const hosts = (sources.host ?? []).map((host) => checkHostName(host, '--host'));
  if (sources.hostsFile !== undefined) {
    const file = sources.hostsFile;
    let text: string;
    try {
      text = file === '-' ? readStdin() : readFileSync(resolve(cwd, file), 'utf8');
    } catch (error) {
      throw usageError(
        `cannot read --hosts-file "${file}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; give a file with one host per line`,
      );
    }
    const listed = parseHostsFile(text, file === '-' ? 'stdin' : file);
    if (listed.length === 0)
      throw usageError(`--hosts-file "${file}" names no host; write one host per line`);
    hosts.push(...listed);
  }
  return [...new Set(hosts)];
}
