import { win32 } from 'node:path';
import type { ApacheConfig, ApacheLayout } from '../apache/config/model.js';
import { parseApacheCommandLine, windowsLayoutAt } from '../apache/config/model.js';
import { loadApacheConfig } from '../apache/config/reader.js';
import { WsgictlError } from '../errors.js';
import { type FileView, hostFiles } from '../files/view.js';
import type { GroupCatalogue } from '../groups/lookup.js';
import { POWERSHELL, powershellArgs } from './event.js';
import type { Executor, RunOptions } from './exec.js';
import { validatePid } from './names.js';

/** What Win32_Process says of the Apache parent: how it was started. */
export interface ProcessCommandLine {
  executablePath: string | null;
  commandLine: string | null;
}

/** One Win32_Process as JSON: the only way to read another process's command line without a native module. */
export function buildCommandLineScript(pid: number): string {
  const checked = validatePid(pid, 'the Apache parent pid');
  return [
    "$ErrorActionPreference = 'Stop'",
    `Get-CimInstance -ClassName Win32_Process -Filter 'ProcessId = ${checked}' |`,
    '  Select-Object ProcessId, ParentProcessId, Name, ExecutablePath, CommandLine |',
    '  ConvertTo-Json -Compress',
  ].join('\n');
}

/** Reads the JSON of buildCommandLineScript (an object, or an array of one); null when there is none. */
export function parseCommandLineJson(text: string): ProcessCommandLine | null {
  if (text.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const record = (Array.isArray(value) ? value[0] : value) as Record<string, unknown> | undefined;
  if (!record || typeof record !== 'object') return null;
  const text_ = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : null);
  return { executablePath: text_('ExecutablePath'), commandLine: text_('CommandLine') };
}

export async function readCommandLine(
  executor: Executor,
  pid: number,
  options?: RunOptions,
): Promise<ProcessCommandLine | null> {
  const result = await executor.run(POWERSHELL, powershellArgs(buildCommandLineScript(pid)), options);
  return result.code === 0 ? parseCommandLineJson(result.stdout) : null;
}

/**
 * Splits a Windows command line as the C runtime does for argv: white space separates words outside
 * quotes, `""` inside quotes is a quote, 2n backslashes before a quote are n backslashes, 2n+1 are n and a
 * literal quote; other backslashes are literal (so `C:\Apache24\bin\httpd.exe` stays whole).
 */
export function splitCommandLine(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\') {
      let count = 0;
      while (text[i + count] === '\\') count++;
      if (text[i + count] === '"') {
        word += '\\'.repeat(Math.floor(count / 2));
        if (count % 2 === 1) {
          word += '"';
          i += count; // the backslashes and the escaped quote
        } else i += count - 1; // the quote opens or closes on the next turn
      } else {
        word += '\\'.repeat(count);
        i += count - 1;
      }
      inWord = true;
      continue;
    }
    if (ch === '"') {
      if (quoted && text[i + 1] === '"') {
        word += '"';
        i++;
      } else quoted = !quoted;
      inWord = true;
      continue;
    }
    if (!quoted && /\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    word += ch;
    inWord = true;
  }
  if (inWord) words.push(word);
  return words;
}

/** A Windows path with `/` and without anything a non-Windows host put in front of its drive (tests). */
export function normalizeWindowsPath(path: string): string {
  const slashed = path.replaceAll('\\', '/');
  const drive = /.*([A-Za-z]:\/.*)$/.exec(slashed);
  return drive?.[1] ?? slashed;
}

/**
 * httpd on Windows puts `-d <the executable's folder, less a final bin>` in front of its own arguments
 * (winnt_rewrite_args in server/mpm/winnt/mpm_winnt.c), so that is the ServerRoot when -d is not given.
 */
export function layoutFor(executable: string): ApacheLayout {
  const folder = win32.dirname(executable);
  const root = win32.basename(folder).toLowerCase() === 'bin' ? win32.dirname(folder) : folder;
  return windowsLayoutAt(root);
}

/** The configuration an Apache parent runs with, read from its command line. */
export function loadWindowsConfig(line: ProcessCommandLine, files: FileView = hostFiles('')): ApacheConfig {
  const argv = splitCommandLine(line.commandLine ?? '');
  const executable = line.executablePath ?? argv[0] ?? 'httpd.exe';
  return loadApacheConfig(
    parseApacheCommandLine(argv.length > 0 ? argv : [executable], 'httpd.exe', layoutFor(executable)),
    {},
    undefined,
    files,
  );
}

/** A WSGI application of an embedded-mode Apache: its WSGIScriptAlias URL and script. */
export interface WsgiApp {
  url: string;
  script: string;
}

export function listWsgiApps(config: ApacheConfig): WsgiApp[] {
  return (config.sites?.mounts ?? []).map((mount) => ({
    url: mount.url,
    script: normalizeWindowsPath(mount.script),
  }));
}

const sameFile = (a: string, b: string) =>
  normalizeWindowsPath(a).toLowerCase() === normalizeWindowsPath(b).toLowerCase();

/**
 * Whether a name given as a group names this application. Windows' mod_wsgi has no daemon groups
 * (WSGIDaemonProcess and WSGIProcessGroup exist only with MOD_WSGI_WITH_DAEMONS), so a group is named by
 * what the configuration does have: the mount URL (`/api`), the script (`C:/sites/api/api.wsgi`), its
 * file name (`api.wsgi`) or that name without extension (`api`).
 */
export function namesApp(name: string, app: WsgiApp): boolean {
  const file = win32.basename(app.script);
  const stem = file.replace(/\.[^.]*$/, '');
  return (
    name === app.url ||
    sameFile(name, app.script) ||
    name.toLowerCase() === file.toLowerCase() ||
    name.toLowerCase() === stem.toLowerCase()
  );
}

function describeApps(apps: WsgiApp[]): string {
  return apps.length === 0
    ? 'it mounts no WSGI application (no WSGIScriptAlias)'
    : `its applications are ${apps.map((app) => `${app.url} (${app.script})`).join(', ')}`;
}

/**
 * The applications of this configuration as the groups a name may give: a typo restarts nothing
 * (assertGroupsExist refuses it, exit 3).
 */
export function wsgiAppsOf(config: ApacheConfig): GroupCatalogue {
  const apps = listWsgiApps(config);
  return {
    names: (name) => apps.some((app) => namesApp(name, app)),
    refuse: (missing) =>
      new WsgictlError(
        'NO_SUCH_GROUP',
        `no WSGI application ${missing.map((name) => `"${name}"`).join(', ')} in ${config.configFile}: on Windows a group is named by its WSGIScriptAlias URL or script, and ${describeApps(apps)}`,
      ),
  };
}

/** The script `--touch` names, as the configuration spells it; refused (exit 3) when no mount uses it. */
export function findTouchScript(script: string, config: ApacheConfig): WsgiApp {
  const app = listWsgiApps(config).find((each) => sameFile(each.script, script));
  if (app) return app;
  throw new WsgictlError(
    'NO_SUCH_GROUP',
    `--touch ${script} is no WSGI script of ${config.configFile}: ${describeApps(listWsgiApps(config))}`,
  );
}

/**
 * Where `WSGIScriptReloading Off` is written in the files Apache read, or null (On is mod_wsgi's default).
 * A plain scan: a directive inside a section Apache skips still counts, which can only refuse a touch.
 */
export function findScriptReloadingOff(config: ApacheConfig, files: FileView = hostFiles('')): string | null {
  for (const file of config.files) {
    let text: string;
    try {
      text = files.readText(file);
    } catch {
      continue;
    }
    const lines = text.split(/\r?\n/);
    const index = lines.findIndex((line) => /^\s*WSGIScriptReloading\s+Off\b/i.test(line));
    if (index >= 0) return `${file}:${index + 1}`;
  }
  return null;
}
