import { isAbsolute, resolve } from 'node:path';
import { ReadBudget, ReadLimitError } from '../../files/safe-files.js';
import { type FileView, hostFiles } from '../../files/view.js';
import type { ApacheBuild } from '../binary/apache-build.js';
import { type ConditionState, evaluateCondition } from './conditions.js';
import { expandInclude, nearestExisting } from './glob.js';
import { MacroTable } from './macros.js';
import type { ApacheCommandLine, ApacheConfig } from './model.js';
import { sourceOfSymbol } from './modules.js';
import { applySetting, createConfig, type Frame, PER_DIRECTORY, RELEVANT } from './sections.js';
import { createSites, SiteCollector } from './sites.js';
import { type ConfigLine, splitDirectiveName, splitDirectives, splitWords } from './tokenize.js';
import { Defines, ExpansionTooLongError } from './variables.js';

/** httpd's AP_MAX_INCLUDE_DEPTH (server/core.c): Apache refuses a deeper nesting of Include directives. */
const MAX_INCLUDE_DEPTH = 128;
/** A configuration line longer than this is not read (httpd allows 16 MiB, which no real line needs). */
export const MAX_LINE_CHARS = 64 << 10;

/** Where a file is read from: the Include directive that pulled it in, for doubts about it. */
interface Origin {
  file: string;
  line: number;
  condition: string;
}

class Reader {
  readonly config: ApacheConfig;
  private readonly defines: Defines;
  private readonly loaded = new Set<string>();
  private readonly macros = new MacroTable();
  private readonly sites = new SiteCollector(createSites());
  /** The files being read now, outermost first: one among them included again never ends. */
  private readonly reading = new Set<string>();
  /** Set when reading stopped for good (a cap, the time budget, an include loop): what follows is unknown. */
  private halted = false;

  constructor(
    commandLine: ApacheCommandLine,
    env: NodeJS.ProcessEnv,
    private readonly build: ApacheBuild,
    private readonly files: FileView,
    private readonly budget: ReadBudget,
  ) {
    this.config = createConfig(commandLine, this.sites.sites);
    this.defines = new Defines(env);
    for (const [name, value] of commandLine.defines)
      this.defines.define(name, value === '' ? undefined : value);
  }

  private absolute(path: string): string {
    return isAbsolute(path) ? path : resolve(this.config.serverRoot, path);
  }

  private conditionState(): ConditionState {
    return {
      defines: this.defines.names,
      loaded: this.loaded,
      build: this.build,
      files: this.files,
      resolve: (path) => this.absolute(path),
      consult: (path) => this.config.consulted.push(path),
    };
  }

  private doubt(origin: Origin, reason: string): void {
    this.config.doubts.push({ ...origin, reason });
  }

  /** Stops reading the whole configuration: httpd would refuse it, or wsgictl may not spend more on it. */
  private halt(origin: Origin, reason: string): void {
    if (this.halted) return;
    this.halted = true;
    this.config.warnings.push(
      `stopped reading the configuration at ${origin.file}:${origin.line}: ${reason}`,
    );
    this.doubt(origin, `${reason}; wsgictl stopped reading there`);
  }

  /** `${}` expanded, or null (and reading halted) when the result would be too long. */
  private expand(text: string, origin: Origin): string | null {
    try {
      return this.defines.expand(text);
    } catch (error) {
      if (!(error instanceof ExpansionTooLongError)) throw error;
      this.halt(origin, `its \${} ${error.message}`);
      return null;
    }
  }

  readFile(file: string, depth: number, optional: boolean, perDirectory: boolean, origin: Origin): void {
    if (this.halted) return;
    if (depth > MAX_INCLUDE_DEPTH) {
      this.halt(origin, `includes nest deeper than ${MAX_INCLUDE_DEPTH} at ${file}, which Apache refuses`);
      return;
    }
    if (this.reading.has(file)) {
      this.halt(origin, `${file} includes itself, which never ends`);
      return;
    }
    let text: string;
    try {
      text = this.files.readText(file);
    } catch (error) {
      if (error instanceof ReadLimitError) {
        this.halt(origin, error.message);
        return;
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        this.config.consulted.push(nearestExisting(this.files, file));
        if (!optional) this.config.warnings.push(`cannot read ${file}: ${code}`);
      } else {
        this.config.warnings.push(`cannot read ${file}: ${code}`);
        this.doubt(origin, `${file} cannot be read (${code}): what Apache read there is unknown`);
      }
      return;
    }
    this.config.files.push(file);
    this.config.consulted.push(file);
    this.reading.add(file);
    this.readLines(splitDirectives(text), file, depth, perDirectory);
    this.reading.delete(file);
  }

  readLines(lines: ConfigLine[], file: string, depth: number, perDirectory: boolean): void {
    const stack: Frame[] = [];
    for (let i = 0; i < lines.length && !this.halted; i++) {
      const written = lines[i] as ConfigLine;
      const place = { file, line: written.line, condition: 'the rest of the configuration' };
      try {
        this.budget.checkTime();
      } catch (error) {
        this.halt(place, (error as Error).message);
        break;
      }
      if (written.directive.length + written.args.length > MAX_LINE_CHARS) {
        const what = { ...place, condition: 'a line' };
        this.doubt(what, `it is longer than ${MAX_LINE_CHARS} characters; wsgictl did not read it`);
        continue;
      }
      const frame = stack[stack.length - 1];
      const active = frame ? frame.active : true;
      // httpd expands ${} in a whole line before reading its name, and only in lines it reads.
      const expanded = active ? this.expand(`${written.directive} ${written.args}`, place) : null;
      if (active && expanded === null) break;
      const { directive, args } = expanded === null ? written : splitDirectiveName(expanded);
      const name = directive.toLowerCase();
      const line = written.line;
      if (name.startsWith('</')) {
        if (stack.pop()) this.sites.leave();
      } else if (name === '<macro' || name === '<macro>') {
        i = this.macros.readDefinition(lines, i, active ? args : null);
      } else if (name.startsWith('<')) {
        const section = name.slice(1).replace(/>$/, '');
        stack.push(
          this.openSection(section, directive.replace(/>$/, ''), args, file, line, frame, perDirectory),
        );
      } else if (!active) {
        this.noteSkipped(frame as Frame, name, written.args, file, line);
      } else {
        try {
          this.readDirective(name, args, file, line, depth, frame?.perDirectory ?? perDirectory);
        } catch (error) {
          if (!(error instanceof ReadLimitError)) throw error;
          this.halt(place, error.message);
        }
      }
    }
  }

  private openSection(
    name: string,
    directive: string,
    rawArgs: string,
    file: string,
    line: number,
    parent: Frame | undefined,
    perDirectory: boolean,
  ): Frame {
    // The section's argument ends at its last `>` (start_cond_section); expanding is harmless when skipped.
    const closing = rawArgs.lastIndexOf('>');
    const raw = closing < 0 ? rawArgs : rawArgs.slice(0, closing);
    const args = (this.expand(raw, { file, line, condition: `<${name}>` }) ?? '').trim();
    // A <VirtualHost> inside a section Apache skips is no vhost of this instance.
    this.sites.enter(name, args, file, line, parent ? parent.active : true);
    const frame: Frame = {
      name,
      text: `${directive}${args ? ` ${args}` : ''}>`,
      file,
      line,
      active: parent ? parent.active : true,
      perDirectory: (parent?.perDirectory ?? perDirectory) || PER_DIRECTORY.has(name),
      skippedBy: parent?.skippedBy ?? null,
      undecided: null,
      doubted: false,
    };
    if (!frame.active) return frame;
    const truth = evaluateCondition(name, args, this.conditionState());
    if (truth === null || truth === true) return frame;
    frame.active = false;
    frame.skippedBy = frame;
    if (truth !== false) frame.undecided = truth.undecided;
    return frame;
  }

  /** Inside a section Apache skips (or may skip): remember what matters for the user and for the doubts. */
  private noteSkipped(frame: Frame, name: string, args: string, file: string, line: number): void {
    const cause = frame.skippedBy;
    if (!cause) return;
    if (cause.undecided !== null) {
      const relevant = RELEVANT.has(name) || (name === 'use' && this.macros.isRelevant(splitWords(args)[0]));
      if (relevant && !cause.doubted) {
        cause.doubted = true;
        this.doubt({ file: cause.file, line: cause.line, condition: cause.text }, cause.undecided);
      }
      return;
    }
    if (name === 'wsgidaemonprocess') {
      const [group] = splitWords(this.expand(args, { file, line, condition: cause.text }) ?? '');
      if (group) this.config.skippedGroups.push({ name: group, file, line, condition: cause.text });
    }
  }

  private readDirective(
    name: string,
    args: string,
    file: string,
    line: number,
    depth: number,
    perDirectory: boolean,
  ): void {
    const words = splitWords(args);
    this.sites.read(name, words, file, line);
    const [first, second] = words;
    // Define, UnDefine, Include, LoadModule and mod_macro's directives act as they are read (EXEC_ON_READ),
    // even inside <Directory> or <If>; the rest act later, and only where their context allows.
    if (name === 'define' && first && !first.includes(':')) this.defines.define(first, second);
    else if (name === 'undefine' && first) this.defines.undefine(first);
    else if ((name === 'include' || name === 'includeoptional') && first) {
      const written = name === 'include' ? 'Include' : 'IncludeOptional';
      const origin = { file, line, condition: `${written} ${first}` };
      this.include(this.absolute(first), name === 'includeoptional', depth, perDirectory, origin);
    } else if (name === 'loadmodule' && first) {
      if (first === 'wsgi_module' && second && !this.loaded.has(first))
        this.config.wsgiModule = this.absolute(second);
      this.loaded.add(first).add(sourceOfSymbol(first));
    } else if (name === 'undefmacro' && first) this.macros.remove(first);
    else if (name === 'use' && first && this.macros.isRelevant(first)) {
      this.doubt({ file, line, condition: `Use ${first}` }, 'wsgictl does not expand mod_macro macros');
    } else
      applySetting(this.config, name, words, { file, line, perDirectory }, (path) => this.absolute(path));
  }

  private include(
    path: string,
    optional: boolean,
    depth: number,
    perDirectory: boolean,
    origin: Origin,
  ): void {
    if (this.halted) return;
    const expansion = expandInclude(this.files, path);
    this.config.consulted.push(...expansion.consulted);
    if (expansion.stopped) {
      this.halt(origin, expansion.stopped);
      return;
    }
    for (const { path: folder, code } of expansion.unreadable) {
      this.config.warnings.push(`cannot list ${folder}: ${code}`);
      this.doubt(origin, `${folder} cannot be listed (${code}): what Apache read there is unknown`);
    }
    if (expansion.files.length === 0 && expansion.unreadable.length === 0 && !optional)
      this.config.warnings.push(`Include ${path} matches no file`);
    for (const included of expansion.files)
      this.readFile(included, depth + 1, optional, perDirectory, origin);
  }
}

/**
 * Reads an Apache configuration as httpd does at startup: `-C` directives, the file with its
 * Include/IncludeOptional files in Apache's order, then `-c` directives; conditional sections evaluated
 * against the defines, the loaded and compiled-in modules, the version and the files; only the
 * WSGIDaemonProcess directives Apache really reads get an id. A pure function of its arguments: `env` stands
 * in for the parent's environment (Debian's envvars), `build` for what its binary says of itself, `files` for
 * its file system.
 */
export function loadApacheConfig(
  commandLine: ApacheCommandLine,
  env: NodeJS.ProcessEnv = {},
  build: ApacheBuild = { modules: null, version: null },
  files: FileView = hostFiles(''),
  budget: ReadBudget = new ReadBudget(),
): ApacheConfig {
  const reader = new Reader(commandLine, env, build, files, budget);
  const asLines = (directives: string[]) => directives.flatMap((text) => splitDirectives(text));
  reader.readLines(asLines(commandLine.preDirectives), '(-C on the command line)', 0, false);
  const config = reader.config;
  // httpd resolves a relative configuration file after the -C directives, which may move ServerRoot.
  const asGiven = commandLine.configFileAsGiven;
  if (asGiven !== undefined && config.serverRoot !== commandLine.serverRoot && !isAbsolute(asGiven)) {
    config.configFile = resolve(config.serverRoot, asGiven);
  }
  const origin = { file: config.configFile, line: 0, condition: 'the configuration file' };
  reader.readFile(config.configFile, 0, false, false, origin);
  reader.readLines(asLines(commandLine.postDirectives), '(-c on the command line)', 0, false);
  config.consulted = [...new Set(config.consulted)];
  return config;
}
