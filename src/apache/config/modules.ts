import type { ApacheBuild } from '../binary/apache-build.js';
import { findProviders, isKnownModule } from './directives.js';
import type { Truth } from './truth.js';

/**
 * Modules whose source file does not follow the `mod_foo.c` <-> `foo_module` convention that mod_so itself
 * relies on (modules/core/mod_so.c, the "built-in and can't be loaded" check).
 */
const UNCONVENTIONAL: Record<string, string> = {
  core_module: 'core.c',
  http_module: 'http_core.c',
  mpm_event_module: 'event.c',
  mpm_prefork_module: 'prefork.c',
  mpm_worker_module: 'worker.c',
  mpm_winnt_module: 'mpm_winnt.c',
  ldap_module: 'util_ldap.c',
};

/** Every httpd 2.4 has these compiled in (LoadModule itself needs mod_so). */
const ALWAYS_COMPILED = new Set(['core.c', 'http_core.c', 'mod_so.c']);
/** Compiled in by some builds and loaded by others: Debian's -l lists the first five, RHEL's none of them. */
const SOMETIMES_COMPILED = new Set([
  'mod_watchdog.c',
  'mod_log_config.c',
  'mod_logio.c',
  'mod_version.c',
  'mod_unixd.c',
  'mod_systemd.c',
  'mod_win32.c',
  'event.c',
  'prefork.c',
  'worker.c',
  'mpm_winnt.c',
]);

/** A module's source name (what `-l` prints, `<IfModule mod_foo.c>`) from its symbol (`foo_module`). */
export function sourceOfSymbol(symbol: string): string {
  return UNCONVENTIONAL[symbol] ?? `mod_${symbol.replace(/_module$/, '')}.c`;
}

/** A module's symbol (`<IfModule foo_module>`, LoadModule's first argument) from its source name. */
export function symbolOfSource(source: string): string {
  const known = Object.entries(UNCONVENTIONAL).find(([, file]) => file === source);
  return known ? known[0] : `${source.replace(/^mod_/, '').replace(/\.c$/, '')}_module`;
}

/** The modules httpd has so far: compiled in (the binary's answer) and loaded by LoadModule. */
export interface ModuleState {
  /** Modules loaded by the LoadModule directives read so far: each symbol and its source name. */
  loaded: Set<string>;
  build: ApacheBuild;
}

/** Whether a module named as `<IfModule>` names it (source `mod_foo.c` or symbol `foo_module`) is in. */
export function isModulePresent(name: string, state: ModuleState): Truth {
  if (state.loaded.has(name)) return true;
  // Compiled-in modules are found by source name or by their `*_module` symbol; any other name only by LoadModule.
  let source: string;
  if (name.endsWith('.c')) source = name;
  else if (name.endsWith('_module')) source = sourceOfSymbol(name);
  else return false;
  if (state.build.modules) return state.build.modules.has(source);
  if (ALWAYS_COMPILED.has(source)) return true;
  if (SOMETIMES_COMPILED.has(source)) {
    return { undecided: `whether ${source} is compiled in: the Apache binary could not be asked (-l)` };
  }
  return false;
}

/** True when every module httpd has so far is one whose directives wsgictl knows. */
function knowsEveryModule(state: ModuleState): boolean {
  if (!state.build.modules) return false;
  return [...state.build.modules, ...state.loaded].every(
    (name) => !name.endsWith('.c') || isKnownModule(name),
  );
}

/**
 * Whether httpd knows a directive (`<IfDirective>`) or, written `<name`, a section (`<IfSection>`): some
 * module that provides it is compiled in or already loaded. A name no module in wsgictl's table provides is
 * false only when every module present is in that table.
 */
export function isDirectiveKnown(name: string, state: ModuleState): Truth {
  const providers = findProviders(name);
  if (providers.length === 0) {
    return knowsEveryModule(state)
      ? false
      : {
          undecided: `wsgictl does not know which module provides ${name.startsWith('<') ? `${name}>` : name}`,
        };
  }
  let result: Truth = false;
  for (const source of providers) {
    const present = isModulePresent(source, state);
    if (present === true) return true;
    if (present !== false) result = present;
  }
  return result;
}
