import type { FileView } from './files.js';

/** A condition's value: Apache's answer, or undecided when wsgictl cannot know it. */
export type Truth = boolean | { undecided: string };

/** What the instance's binary says about itself; null fields = could not be learnt. */
export interface ApacheBuild {
  /** Compiled-in modules as `httpd -l` prints them (`core.c`, `mod_so.c`, `http_core.c`, ...). */
  modules: Set<string> | null;
  /** `2.4.62` from `httpd -v`. */
  version: string | null;
}

/** What the conditions are evaluated against, as the configuration is read. */
export interface ConditionState {
  defines: Map<string, string>;
  /** Module names loaded by LoadModule so far, both as symbol (`wsgi_module`) and source (`mod_wsgi.c`). */
  loaded: Set<string>;
  build: ApacheBuild;
  serverRoot: string;
  files: FileView;
}

/** Every httpd 2.4 has these compiled in: LoadModule itself needs mod_so. */
const ALWAYS_COMPILED = ['core.c', 'http_core.c', 'mod_so.c'];
/** Modules some distributions compile in statically: unknown without the binary's own list. */
const SOMETIMES_COMPILED = new Set([
  'mod_watchdog.c',
  'mod_log_config.c',
  'mod_logio.c',
  'mod_version.c',
  'mod_unixd.c',
  'mod_systemd.c',
  'event.c',
  'prefork.c',
  'worker.c',
  'mod_mpm_winnt.c',
]);
const MPM_SOURCES: Record<string, string> = {
  mpm_event_module: 'event.c',
  mpm_prefork_module: 'prefork.c',
  mpm_worker_module: 'worker.c',
  mpm_winnt_module: 'mpm_winnt.c',
  core_module: 'core.c',
  http_module: 'http_core.c',
};

/** A module's source name (what `-l` prints and `<IfModule mod_foo.c>` names) from its symbol. */
export function sourceOfSymbol(symbol: string): string {
  return MPM_SOURCES[symbol] ?? `mod_${symbol.replace(/_module$/, '')}.c`;
}

/** A module's symbol (`<IfModule foo_module>`) from its source name. */
export function symbolOfSource(source: string): string {
  const known = Object.entries(MPM_SOURCES).find(([, file]) => file === source);
  return known ? known[0] : `${source.replace(/^mod_/, '').replace(/\.c$/, '')}_module`;
}

function isModulePresent(name: string, state: ConditionState): Truth {
  if (state.loaded.has(name)) return true;
  const source = name.endsWith('.c') ? name : sourceOfSymbol(name);
  if (state.build.modules) return state.build.modules.has(source);
  if (ALWAYS_COMPILED.includes(source)) return true;
  if (SOMETIMES_COMPILED.has(source)) {
    return { undecided: `whether ${source} is compiled in: the Apache binary could not be asked (-l)` };
  }
  return false;
}

function parseVersion(text: string): number[] {
  return text.split('.').map((part) => Number.parseInt(part, 10) || 0);
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** `<IfVersion [[!]operator] version>` as mod_version evaluates it. */
export function matchVersion(args: string[], version: string): boolean {
  let [op, wanted] = args.length > 1 ? [args[0] as string, args[1] as string] : ['=', args[0] ?? ''];
  const negate = op.startsWith('!');
  if (negate) op = op.slice(1);
  let result: boolean;
  if (op === '~' || (wanted.startsWith('/') && wanted.endsWith('/') && wanted.length > 1)) {
    const source = op === '~' ? wanted : wanted.slice(1, -1);
    result = new RegExp(source).test(version);
  } else {
    const diff = compareVersions(parseVersion(version), parseVersion(wanted));
    const byOp: Record<string, boolean> = {
      '=': diff === 0,
      '==': diff === 0,
      '>': diff > 0,
      '>=': diff >= 0,
      '<': diff < 0,
      '<=': diff <= 0,
    };
    result = byOp[op] ?? false;
  }
  return negate ? !result : result;
}

/** Directives and sections of core and of modules this reader knows; any other name is undecided. */
const CORE_DIRECTIVES = new Set(
  `acceptfilter acceptpathinfo accessfilename adddefaultcharset allowencodedslashes allowoverride allowoverridelist
  cgimapextension cgipassauth cgivar contentdigest defaultruntimedir defaulttype define documentroot enablemmap
  enablesendfile error errordocument errorlog errorlogformat extendedstatus fileetag hostnamelookups
  httpprotocoloptions include includeoptional keepalive keepalivetimeout limitinternalrecursion limitrequestbody
  limitrequestfields limitrequestfieldsize limitrequestline limitxmlrequestbody listen listenbacklog loglevel
  maxkeepaliverequests maxrangeoverlaps maxrangereversals maxranges mergetrailers mutex namevirtualhost options
  pidfile protocol protocols qualifyredirecturl readbuffersize regexdefaultoptions registerhttpmethod rlimitcpu
  rlimitmem rlimitnproc scriptinterpretersource seerequesttail serveradmin serveralias servername serverpath
  serverroot serversignature servertokens setHandler setinputfilter setoutputfilter timeout traceenable undefine
  usecanonicalname usecanonicalphysicalport loadmodule loadfile startservers serverlimit threadsperchild
  maxrequestworkers minsparethreads maxsparethreads user group`
    .toLowerCase()
    .split(/\s+/),
);
const CORE_SECTIONS = new Set(
  'directory directorymatch files filesmatch location locationmatch virtualhost limit limitexcept if elseif else ifdefine ifmodule ifdirective iffile ifsection'.split(
    ' ',
  ),
);
const WSGI_DIRECTIVES = new Set(
  'wsgidaemonprocess wsgiprocessgroup wsgiapplicationgroup wsgiscriptalias wsgiscriptaliasmatch wsgisocketprefix wsgisocketrotation wsgipythonhome wsgipythonpath wsgiimportscript wsgiscriptreloading wsgirestrictembedded wsgilazyinitialization wsgipassauthorization wsgicallableobject'.split(
    ' ',
  ),
);

function isKnown(name: string, section: boolean, state: ConditionState): Truth {
  const lower = name.toLowerCase().replace(/^</, '');
  if (section ? CORE_SECTIONS.has(lower) : CORE_DIRECTIVES.has(lower)) return true;
  if (!section && WSGI_DIRECTIVES.has(lower)) {
    const wsgi = isModulePresent('wsgi_module', state);
    if (wsgi !== true) return wsgi === false ? false : wsgi;
    return true;
  }
  return { undecided: `wsgictl does not know which module provides ${section ? `<${lower}>` : name}` };
}

function fileExists(path: string, state: ConditionState): Truth {
  const absolute = path.startsWith('/') ? path : `${state.serverRoot.replace(/\/$/, '')}/${path}`;
  try {
    state.files.stat(absolute);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    return { undecided: `${absolute} cannot be checked (${code})` };
  }
}

function negate(value: Truth, not: boolean): Truth {
  return not && typeof value === 'boolean' ? !value : value;
}

/**
 * Evaluates one `<IfDefine>`, `<IfModule>`, `<IfVersion>`, `<IfFile>`, `<IfDirective>` or `<IfSection>`
 * as httpd does at startup; null for a section that is no condition.
 */
export function evaluateCondition(section: string, args: string[], state: ConditionState): Truth | null {
  const kind = section.toLowerCase();
  if (kind === 'ifversion') {
    if (state.build.version === null)
      return { undecided: 'the Apache binary could not be asked its version (-v)' };
    return matchVersion(args, state.build.version);
  }
  const first = args[0] ?? '';
  const not = first.startsWith('!');
  const name = not ? first.slice(1) : first;
  if (kind === 'ifdefine') return negate(state.defines.has(name), not);
  if (kind === 'ifmodule') return negate(isModulePresent(name, state), not);
  if (kind === 'iffile') return negate(fileExists(name, state), not);
  if (kind === 'ifdirective') return negate(isKnown(name, false, state), not);
  if (kind === 'ifsection') return negate(isKnown(name, true, state), not);
  return null;
}
