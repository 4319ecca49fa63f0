import { findGroupLogPlace, openGroupLogs } from '../errorlog/group.js';
import { describeError } from '../errors.js';
import { DEFAULT_TIMEOUT_MS } from '../reload/index.js';
import type { GroupReloadResult } from '../reload/types.js';
import { neutralise, neutraliseDeep } from '../terminal.js';
import type { TopSampler } from '../top/sampler.js';
import type { TopGroup, TopSnapshot } from '../top/types.js';
import { PLAIN } from './color.js';
import type { CliContext } from './context.js';
import { groupKey, renderTop } from './render/top.js';

export interface ViewTerminal {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
}

export interface ViewOptions {
  intervalMs: number;
  terminal: ViewTerminal;
  context: CliContext;
}

/** Escape sequences, VT100/xterm, understood by every terminal emulator and tmux/screen. */
const ESC = {
  enterAlternate: '\x1b[?1049h\x1b[?25l',
  leaveAlternate: '\x1b[?25h\x1b[?1049l',
  home: '\x1b[H',
  clearLineEnd: '\x1b[K',
  clearBelow: '\x1b[J',
  inverse: (text: string) => `\x1b[7m${text}\x1b[27m`,
};

type Key = 'up' | 'down' | 'enter' | 'quit' | 'escape' | string;

/** The keys in one chunk of raw input: arrows arrive as escape sequences, the rest as characters. */
export function readKeys(chunk: string): Key[] {
  const keys: Key[] = [];
  for (let i = 0; i < chunk.length; i++) {
    const rest = chunk.slice(i);
    if (rest.startsWith('\x1b[A') || rest.startsWith('\x1bOA')) {
      keys.push('up');
      i += 2;
    } else if (rest.startsWith('\x1b[B') || rest.startsWith('\x1bOB')) {
      keys.push('down');
      i += 2;
    } else if (rest.startsWith('\x1b[')) {
      // Another sequence (right, left, a function key): skipped whole.
      const end = rest.slice(2).search(/[@-~]/);
      i += end === -1 ? rest.length : end + 2;
    } else if (rest[0] === '\x1b') keys.push('escape');
    else if (rest[0] === '\r' || rest[0] === '\n') keys.push('enter');
    else if (rest[0] === '\x03') keys.push('quit');
    else keys.push(rest[0] as string);
  }
  return keys;
}

/** Cuts a plain line to the terminal's width (the table is plain text until the selection is painted). */
function fit(line: string, columns: number): string {
  return line.length > columns ? line.slice(0, Math.max(0, columns)) : line;
}

/** One result line for the status bar, from the same result `wsgictl reload` prints. */
export function describeReloadStatus(result: GroupReloadResult): string {
  const group = neutralise(result.group);
  if (result.outcome === 'replaced')
    return `reloaded ${group}: ${result.oldPids.join(' ')} -> ${result.newPids.join(' ')} in ${(result.ms / 1000).toFixed(2)}s`;
  return `reload of ${group}: ${result.outcome} after ${(result.ms / 1000).toFixed(2)}s (see wsgictl reload ${group} for details)`;
}

/**
 * The interactive `top`: the table on the alternate screen, redrawn in place (one write per frame, each
 * line cleared to its end, so nothing flickers), up/down select a group, enter expands it, `r` reloads it
 * after y/n, `l` shows its last log lines, q or Ctrl-C restore the screen and quit.
 */
export async function runTopView(sampler: TopSampler, options: ViewOptions): Promise<void> {
  const { input, output } = options.terminal;
  const { context } = options;
  const painted = context.color !== PLAIN;
  let snapshot: TopSnapshot | null = null;
  let selected = 0;
  const expanded = new Set<string>();
  let status = 'up/down select, enter expand, r reload, l log, q quit';
  let confirm: TopGroup | null = null;
  let log: { group: string; lines: string[] } | null = null;
  let busy = false;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });

  const selectedGroup = (): TopGroup | undefined => snapshot?.groups[selected];

  const draw = () => {
    const columns = output.columns || 80;
    const rows = output.rows || 24;
    let lines: string[];
    if (log) {
      lines = [`last lines of ${log.group} (any key returns)`, ...log.lines.map((line) => neutralise(line))];
      lines = lines.slice(0, 1).concat(lines.slice(1).slice(-(rows - 2)));
    } else if (!snapshot) lines = ['reading...'];
    else {
      const shown = neutraliseDeep(snapshot);
      const head = `wsgictl top  ${new Date(snapshot.at).toLocaleTimeString()}  every ${options.intervalMs / 1000}s`;
      lines = [head, ...renderTop(shown, { color: PLAIN, expanded, selected, now: Date.parse(snapshot.at) })];
    }
    lines = lines.slice(0, rows - 1).map((line) => fit(line, columns));
    if (painted) lines = lines.map((line) => (line.startsWith('> ') ? ESC.inverse(line) : line));
    const bar = fit(
      confirm ? `reload ${neutralise(confirm.group)} (Apache pid ${confirm.instance})? y/n` : status,
      columns,
    );
    const frame = `${ESC.home}${lines.map((line) => `${line}${ESC.clearLineEnd}`).join('\r\n')}${ESC.clearBelow}`;
    output.write(`${frame}\x1b[${rows};1H${painted ? ESC.inverse(bar) : bar}${ESC.clearLineEnd}`);
  };

  const reload = async (group: TopGroup) => {
    busy = true;
    status = `reloading ${neutralise(group.group)}...`;
    draw();
    try {
      const results = await context.platform.reloader.reload(
        { groups: [group.group], instance: group.instance, timeoutMs: DEFAULT_TIMEOUT_MS },
        { stopRequested: () => false },
      );
      status = results.map(describeReloadStatus).join('; ') || 'nothing reloaded';
    } catch (error) {
      status = `reload failed: ${neutralise(describeError(error))}`;
    } finally {
      busy = false;
    }
    await refresh();
  };

  const showLog = (group: TopGroup) => {
    try {
      const instances = sampler.lastDiscovery()?.instances ?? [];
      const place = findGroupLogPlace(
        instances.filter((instance) => instance.parent.pid === group.instance),
        group.group,
      );
      const session = openGroupLogs(place, group.group, Math.max(5, (output.rows || 24) - 3));
      session.close();
      log = { group: neutralise(group.group), lines: session.lines };
    } catch (error) {
      status = `no log: ${neutralise(describeError(error))}`;
    }
  };

  const onKey = (key: Key) => {
    if (log) {
      log = null;
      return;
    }
    if (confirm) {
      const group = confirm;
      confirm = null;
      if (key === 'y' || key === 'Y') void reload(group);
      else status = 'reload cancelled';
      return;
    }
    const count = snapshot?.groups.length ?? 0;
    if (key === 'quit' || key === 'q' || key === 'Q') finish();
    else if (key === 'up' || key === 'k') selected = Math.max(0, selected - 1);
    else if (key === 'down' || key === 'j') selected = Math.min(Math.max(0, count - 1), selected + 1);
    else if (key === 'enter') {
      const group = selectedGroup();
      if (group) {
        const keyOf = groupKey(group);
        if (expanded.has(keyOf)) expanded.delete(keyOf);
        else expanded.add(keyOf);
      }
    } else if (key === 'r' && !busy) confirm = selectedGroup() ?? null;
    else if (key === 'l') {
      const group = selectedGroup();
      if (group) showLog(group);
    }
  };

  const onData = (chunk: string) => {
    for (const key of readKeys(chunk)) onKey(key);
    draw();
  };

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let sampling = false;
  const refresh = async () => {
    // One sample at a time: the reload's own refresh and the timer's must not interleave their CPU readings.
    if (sampling) return;
    sampling = true;
    try {
      snapshot = await sampler.sample();
      if (snapshot.groups.length > 0) selected = Math.min(selected, snapshot.groups.length - 1);
    } catch (error) {
      // A runtime error is shown and the view goes on: the next sample may succeed.
      status = `cannot read: ${neutralise(describeError(error))}`;
    } finally {
      sampling = false;
    }
    if (!stopped) draw();
  };
  const tick = async () => {
    await refresh();
    if (!stopped) timer = setTimeout(() => void tick(), options.intervalMs);
  };

  output.write(ESC.enterAlternate);
  input.setRawMode(true);
  input.setEncoding('utf8');
  input.on('data', onData);
  input.resume();
  output.on('resize', draw);
  void context.stopSignal().then(() => finish());
  try {
    draw();
    await tick();
    await done;
  } finally {
    stopped = true;
    clearTimeout(timer);
    input.off('data', onData);
    output.off('resize', draw);
    input.setRawMode(false);
    input.pause();
    output.write(ESC.leaveAlternate);
  }
}
