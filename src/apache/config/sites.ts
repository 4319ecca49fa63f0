/** Where a WSGI application is mounted: `WSGIScriptAlias URL FILE` or `WSGIScriptAliasMatch REGEX FILE`. */
export interface ScriptMount {
  /** The URL path, or the regular expression with `match`. */
  url: string;
  match: boolean;
  script: string;
  /** The `process-group=` option as written, or null when the mount has none. */
  processGroup: string | null;
  /**
   * The `application-group=` option, only when written: with `process-group=` too, mod_wsgi preloads the
   * script as each daemon starts.
   */
  applicationGroup?: string;
  /** Index into `vhosts`, or null for the main server (whose mounts every virtual host inherits). */
  vhost: number | null;
  file: string;
  line: number;
}

/**
 * `WSGIImportScript FILE process-group=G application-group=A`: mod_wsgi loads FILE into each of G's daemons
 * as it starts (both options are required there; one without either is not read).
 */
export interface ImportScript {
  script: string;
  processGroup: string;
  applicationGroup: string;
  vhost: number | null;
  file: string;
  line: number;
}

/** The per-directory section a `WSGIProcessGroup` sits in. */
export interface SectionScope {
  kind: 'location' | 'locationmatch' | 'directory' | 'directorymatch';
  /** The section's argument: a URL path, a directory path (with wildcards), or a regular expression. */
  path: string;
}

/** One `WSGIProcessGroup`, which sends what its scope covers to a daemon group. */
export interface ProcessGroupDirective {
  group: string;
  vhost: number | null;
  /** Null at server or `<VirtualHost>` level. */
  scope: SectionScope | null;
  file: string;
  line: number;
}

export interface VirtualHost {
  /** Each `<VirtualHost>` address: `*`, `_default_`, an IP or a name; port null for `*` or none. */
  addresses: { host: string; port: number | null }[];
  serverName: string | null;
  /** `ErrorLog` as written (variables expanded), or null when it inherits the main server's. */
  errorLog: string | null;
  /** `LogLevel` as written, when this host sets one (else it inherits the main server's). */
  logLevel?: string;
  /** `SSLEngine on`. */
  tls: boolean;
  file: string;
  line: number;
}

export interface Listen {
  /** Null when Listen gives a port only (every address). */
  host: string | null;
  port: number;
  protocol: string | null;
}

/** What a health check needs of a configuration: where the apps are mounted, how to reach them, their logs. */
export interface Sites {
  listens: Listen[];
  serverName: string | null;
  /** The main server's `ErrorLog` as written, or null for httpd's default `logs/error_log`. */
  errorLog: string | null;
  /** The main server's `LogLevel` as written (the last one read); absent: httpd's default, warn. */
  logLevel?: string;
  tls: boolean;
  vhosts: VirtualHost[];
  mounts: ScriptMount[];
  /** `WSGIImportScript`s: scripts preloaded into a group's daemons without a mount of their own. */
  imports?: ImportScript[];
  processGroups: ProcessGroupDirective[];
  /** Which virtual host (null: the main server) each `WSGIDaemonProcess` is defined in. */
  daemonHomes: { group: string; vhost: number | null }[];
}

export function createSites(): Sites {
  return {
    listens: [],
    serverName: null,
    errorLog: null,
    tls: false,
    vhosts: [],
    mounts: [],
    imports: [],
    processGroups: [],
    daemonHomes: [],
  };
}

const SCOPES = new Set<string>(['location', 'locationmatch', 'directory', 'directorymatch']);

/** `host:port`, `[v6]:port`, `port` or `*`, as in Listen and `<VirtualHost>`. */
export function splitAddress(text: string): { host: string | null; port: number | null } {
  const match = /^(?:\[([^\]]+)\]|([^:]*?))(?::(\d+|\*))?$/.exec(text);
  if (/^\d+$/.test(text)) return { host: null, port: Number(text) };
  const host = match?.[1] ?? match?.[2] ?? text;
  const port = match?.[3];
  return { host, port: port === undefined || port === '*' ? null : Number(port) };
}

function parseOption(words: string[], name: string): string | null {
  const prefix = `${name}=`;
  const word = words.find((w) => w.toLowerCase().startsWith(prefix));
  return word === undefined ? null : word.slice(prefix.length);
}

/**
 * Collects, while the reader walks the configuration in Apache's order, what a health check needs. The reader
 * calls `enter`/`leave` for every section and `read` for every directive Apache really reads.
 */
export class SiteCollector {
  private readonly stack: { name: string; args: string }[] = [];
  private vhost: number | null = null;

  constructor(readonly sites: Sites) {}

  enter(name: string, args: string, file: string, line: number, read = true): void {
    this.stack.push({ name, args });
    if (name !== 'virtualhost' || !read) return;
    this.vhost = this.sites.vhosts.length;
    this.sites.vhosts.push({
      addresses: args
        .split(/\s+/)
        .filter(Boolean)
        .map((word) => {
          const { host, port } = splitAddress(word);
          return { host: host ?? '*', port };
        }),
      serverName: null,
      errorLog: null,
      tls: false,
      file,
      line,
    });
  }

  leave(): void {
    const left = this.stack.pop();
    if (left?.name === 'virtualhost') this.vhost = null;
  }

  /** The innermost per-directory section, if any. */
  private findScope(): SectionScope | null {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const frame = this.stack[i];
      if (frame && SCOPES.has(frame.name))
        return { kind: frame.name as SectionScope['kind'], path: frame.args.trim().replace(/^"|"$/g, '') };
    }
    return null;
  }

  read(name: string, words: string[], file: string, line: number): void {
    const sites = this.sites;
    const host = this.vhost === null ? null : (sites.vhosts[this.vhost] ?? null);
    const [first, second] = words;
    if (name === 'listen' && first) {
      const { host: address, port } = splitAddress(first);
      if (port !== null) sites.listens.push({ host: address, port, protocol: second ?? null });
    } else if (name === 'servername' && first) {
      if (host) host.serverName = first;
      else sites.serverName = first;
    } else if (name === 'errorlog' && first) {
      if (host) host.errorLog = words.join(' ');
      else sites.errorLog = words.join(' ');
    } else if (name === 'loglevel' && first) {
      if (host) host.logLevel = words.join(' ');
      else sites.logLevel = words.join(' ');
    } else if (name === 'sslengine' && first) {
      const on = first.toLowerCase() === 'on';
      if (host) host.tls = on;
      else sites.tls = on;
    } else if ((name === 'wsgiscriptalias' || name === 'wsgiscriptaliasmatch') && first && second) {
      const applicationGroup = parseOption(words.slice(2), 'application-group');
      sites.mounts.push({
        url: first,
        match: name === 'wsgiscriptaliasmatch',
        script: second,
        processGroup: parseOption(words.slice(2), 'process-group'),
        ...(applicationGroup === null ? {} : { applicationGroup }),
        vhost: this.vhost,
        file,
        line,
      });
    } else if (name === 'wsgiimportscript' && first) {
      const processGroup = parseOption(words.slice(1), 'process-group');
      const applicationGroup = parseOption(words.slice(1), 'application-group');
      if (processGroup !== null && applicationGroup !== null) {
        sites.imports ??= [];
        sites.imports.push({
          script: first,
          processGroup,
          applicationGroup,
          vhost: this.vhost,
          file,
          line,
        });
      }
    } else if (name === 'wsgiprocessgroup' && first !== undefined) {
      sites.processGroups.push({ group: first, vhost: this.vhost, scope: this.findScope(), file, line });
    } else if (name === 'wsgidaemonprocess' && first) {
      sites.daemonHomes.push({ group: first, vhost: this.vhost });
    }
  }
}
