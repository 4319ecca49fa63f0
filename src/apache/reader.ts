import { basename, isAbsolute, resolve } from 'node:path';
import { type ApacheBuild, type ConditionState, evaluateCondition, sourceOfSymbol } from './conditions.js';
import type { ApacheCommandLine, ApacheConfig } from './config.js';
import { type FileView, hostFiles } from './files.js';
import { expandInclude } from './glob.js';
import { type Frame, PER_DIRECTORY, parseDaemonProcess, RELEVANT } from './sections.js';
import { createSites, SiteCollector } from './sites.js';
import { type ConfigLine, splitDirectives, splitWords } from './tokenize.js';

const MAX_INCLUDE_DEPTH = 32;
/** httpd's default PidFile, relative to ServerRoot. */
const DEFAULT_PID_FILE = 'logs/httpd.pid';

class Reader {
  readonly config: ApacheConfig;
  private readonly state: ConditionState;
  /** Macro name -> whether its body holds a relevant directive. */
  private readonly macros = new Map<string, boolean>();
  private readonly sites = new SiteCollector(createSites());

  constructor(
    commandLine: ApacheCommandLine,
    private readonly env: NodeJS.ProcessEnv,
    build: ApacheBuild,
    private readonly files: FileView,
  ) {
    this.config = {
      configFile: commandLine.configFile,
      serverRoot: commandLine.serverRoot,
      socketPrefix: null,
      groups: [],
      skippedGroups: [],
      doubts: [],
      user: null,
      group: null,
      pidFile: null,
      files: [],
      consulted: [],
      warnings: [],
      sites: this.sites.sites,
    };
    this.state = {
      defines: new Map(commandLine.defines),
      loaded: new Set(),
      build,
      serverRoot: commandLine.serverRoot,
      files,
    };
  }

  private expand(text: string): string {
    return text.replace(
      /\$\{([^}]+)\}/g,
      (whole, name: string) => this.state.defines.get(name) ?? this.env[name] ?? whole,
    );
  }

  private absolute(path: string): string {
    return isAbsolute(path) ? path : resolve(this.config.serverRoot, path);
  }

  readFile(file: string, depth: number, optional: boolean, perDirectory: boolean): void {
    if (depth > MAX_INCLUDE_DEPTH) {
      this.config.warnings.push(`includes nest deeper than ${MAX_INCLUDE_DEPTH} at ${file}; not read`);
      return;
    }
    let text: string;
    try {
      text = this.files.readText(file);
    } catch (error) {
      if (!optional)
        this.config.warnings.push(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code}`);
      return;
    }
    this.config.files.push(file);
    this.config.consulted.push(file);
    this.readLines(splitDirectives(text), file, depth, perDirectory);
  }

  readLines(lines: ConfigLine[], file: string, depth: number, perDirectory: boolean): void {
    const stack: Frame[] = [];
    const top = () => stack[stack.length - 1];
    for (let i = 0; i < lines.length; i++) {
      const { directive, args, line } = lines[i] as ConfigLine;
      const name = directive.toLowerCase();
      const frame = top();
      const active = frame ? frame.active : true;
      if (name.startsWith('</')) {
        if (stack.pop()) this.sites.leave();
        continue;
      }
      if (name === '<macro') {
        i = this.readMacro(lines, i, active);
        continue;
      }
      if (name.startsWith('<')) {
        stack.push(
          this.openSection(
            name.slice(1).replace(/>$/, ''),
            directive.replace(/>$/, ''),
            args,
            file,
            line,
            frame,
            perDirectory,
          ),
        );
        continue;
      }
      if (!active) {
        this.noteSkipped(frame as Frame, name, args, file, line);
        continue;
      }
      this.readDirective(name, args, file, line, depth, frame?.perDirectory ?? perDirectory);
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
    const args = this.expand(rawArgs.replace(/>\s*$/, ''));
    this.sites.enter(name, args, file, line);
    const frame: Frame = {
      name,
      text: `${directive} ${args.trim()}>`,
      file,
      line,
      active: parent ? parent.active : true,
      perDirectory: (parent?.perDirectory ?? perDirectory) || PER_DIRECTORY.has(name),
      skippedBy: parent?.skippedBy ?? null,
      undecided: null,
      doubted: false,
    };
    if (!frame.active) return frame;
    const truth = evaluateCondition(name, splitWords(args), {
      ...this.state,
      serverRoot: this.config.serverRoot,
    });
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
      if (RELEVANT.has(name) && !cause.doubted) {
        cause.doubted = true;
        this.config.doubts.push({
          file: cause.file,
          line: cause.line,
          condition: cause.text,
          reason: cause.undecided,
        });
      }
      return;
    }
    if (name === 'wsgidaemonprocess') {
      const [group] = splitWords(this.expand(args));
      if (group) this.config.skippedGroups.push({ name: group, file, line, condition: cause.text });
    }
  }

  /** Skips a `<Macro>` body (a template, read only where `Use` expands it); returns the index of its end. */
  private readMacro(lines: ConfigLine[], start: number, active: boolean): number {
    const [macro] = splitWords(this.expand((lines[start]?.args ?? '').replace(/>\s*$/, '')));
    let relevant = false;
    let i = start + 1;
    for (; i < lines.length; i++) {
      const name = (lines[i] as ConfigLine).directive.toLowerCase();
      if (name === '</macro>') break;
      relevant ||= RELEVANT.has(name);
    }
    if (active && macro) this.macros.set(macro.toLowerCase(), relevant);
    return i;
  }

  private readDirective(
    name: string,
    args: string,
    file: string,
    line: number,
    depth: number,
    perDirectory: boolean,
  ): void {
    const words = splitWords(this.expand(args));
    this.sites.read(name, words, file, line);
    const config = this.config;
    const first = words[0];
    if (name === 'define' && first) this.state.defines.set(first, words[1] ?? '');
    else if (name === 'undefine' && first) this.state.defines.delete(first);
    else if (name === 'include' || name === 'includeoptional') {
      for (const pattern of words)
        this.include(this.absolute(pattern), name === 'includeoptional', depth, perDirectory);
    } else if (name === 'loadmodule' && first) {
      this.state.loaded.add(first).add(sourceOfSymbol(first));
      if (words[1]) this.state.loaded.add(basename(words[1]).replace(/\.so$/, '.c'));
    } else if (name === 'use' && first && this.macros.get(first.toLowerCase())) {
      config.doubts.push({
        file,
        line,
        condition: `Use ${first}`,
        reason: 'wsgictl does not expand mod_macro macros',
      });
    } else if (perDirectory) {
      if (name === 'wsgidaemonprocess')
        config.warnings.push(
          `${file}:${line}: WSGIDaemonProcess is not allowed in a per-directory section; Apache would not start with it`,
        );
    } else if (name === 'serverroot' && first) config.serverRoot = first;
    else if (name === 'wsgisocketprefix' && first) config.socketPrefix = this.absolute(first);
    else if (name === 'user' && first) config.user = first;
    else if (name === 'group' && first) config.group = first;
    else if (name === 'pidfile' && first) config.pidFile = this.absolute(first);
    else if (name === 'wsgidaemonprocess') {
      const group = parseDaemonProcess(words, config.groups.length + 1, file, line);
      if (group) config.groups.push(group);
    }
  }

  private include(path: string, optional: boolean, depth: number, perDirectory: boolean): void {
    const expansion = expandInclude(this.files, path);
    this.config.consulted.push(...expansion.consulted);
    if (expansion.files.length === 0 && !optional)
      this.config.warnings.push(`Include ${path} matches no file`);
    for (const included of expansion.files) this.readFile(included, depth + 1, optional, perDirectory);
  }
}

/**
 * Reads an Apache configuration as httpd does at startup: `-C` directives, the file with its
 * Include/IncludeOptional files in Apache's order, then `-c` directives; conditional sections evaluated
 * against the defines, the loaded and compiled-in modules and the version; only the WSGIDaemonProcess
 * directives Apache really reads get an id. A pure function of its arguments: `env` stands in for the
 * parent's environment (Debian's envvars), `files` for its file system.
 */
export function loadApacheConfig(
  commandLine: ApacheCommandLine,
  env: NodeJS.ProcessEnv = {},
  build: ApacheBuild = { modules: null, version: null },
  files: FileView = hostFiles(''),
): ApacheConfig {
  const reader = new Reader(commandLine, env, build, files);
  const asLines = (directives: string[]) => directives.flatMap((text) => splitDirectives(text));
  reader.readLines(asLines(commandLine.preDirectives), '(-C on the command line)', 0, false);
  reader.readFile(commandLine.configFile, 0, false, false);
  reader.readLines(asLines(commandLine.postDirectives), '(-c on the command line)', 0, false);
  const config = reader.config;
  config.pidFile ??= resolve(config.serverRoot, DEFAULT_PID_FILE);
  config.consulted = [...new Set(config.consulted)];
  return config;
}
