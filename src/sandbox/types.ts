import type { ApacheInstallation } from './install.js';

/** A daemon process group for a sandbox Apache. */
export interface SandboxGroup {
  name: string;
  processes?: number;
  threads?: number;
  /** More WSGIDaemonProcess options, as written (`maximum-requests=1`). */
  options?: string;
  /** Default `%{GROUP}`; null for no display-name at all. */
  displayName?: string | null;
  /**
   * A conditional section around the group's directives, e.g. `IfDefine NOPE`: when Apache skips it the
   * group never runs, and the sandbox does not wait for it.
   */
  section?: string;
  /** Whether the group's daemons are expected to run (default: true unless `section` is given). */
  runs?: boolean;
}

export interface SandboxOptions {
  groups: SandboxGroup[];
  /** The argv[0] Apache runs under: `apache2` gives short, cut display-names; a full path, longer ones. */
  argv0?: string;
  /** Extra directives appended to the configuration. */
  extraConfig?: string;
  /** How long to wait for every daemon to serve. */
  readyTimeoutMs?: number;
  /** Gives up the wait for readiness: Apache is stopped, its ServerRoot removed, and startSandbox throws. */
  signal?: AbortSignal;
  /** Each group's WSGIDaemonProcess in its own conf.d/NN-NAME.conf, read by `IncludeOptional conf.d/*.conf`. */
  groupFiles?: boolean;
  /**
   * Run Apache in namespaces of its own, as in a container (root only): always a mount namespace, with its
   * configuration on a tmpfs that only it sees; `true` adds a network namespace (it cannot be reached over
   * HTTP from outside then). The object form chooses: `network`, `pid` (Apache is pid 1 there and names its
   * sockets so) and `socketDir` (WSGISocketPrefix's folder, on a tmpfs of the namespace's own, so that two
   * sandboxes can use the very same socket paths).
   */
  namespaces?: boolean | ContainerOptions;
  /** The port Apache listens on at 127.0.0.1 (default: a free one); one in use fails before Apache starts. */
  port?: number;
  /** The Apache + mod_wsgi to run (default: findApache's choice on this machine). */
  install?: ApacheInstallation;
}

export interface ContainerOptions {
  /**
   * Join the pid and mount namespaces of this process (a simulated host, whose pid 1 it is) instead of
   * making new ones: Apache runs beside whatever else that host runs, e.g. its sshd.
   */
  enter?: number;
  network?: boolean;
  pid?: boolean;
  socketDir?: string;
}

export interface Sandbox {
  pid: number;
  port: number;
  root: string;
  configFile: string;
  /** Where the configuration files are written (with `namespaces`, a copy is what Apache reads). */
  configDir: string;
  errorLog: string;
  scriptFile: string;
  groups: SandboxGroupSpec[];
  /** The mod_wsgi version the sandbox loads ("6.0.5"), read from the module; null when unread. */
  wsgiVersion: string | null;
  /** The URL that group `name` serves (its WSGI app answers "GROUP PID"). */
  url(name: string, path?: string): string;
  /** pid -> group, from mod_wsgi's own "Starting process 'NAME'" lines in the error log: the ground truth. */
  startedDaemons(): Map<number, string>;
  stop(): Promise<void>;
}

export type SandboxGroupSpec = Required<Omit<SandboxGroup, 'section' | 'options'>> & {
  section?: string;
  options?: string;
};
