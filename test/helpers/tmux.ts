import { execFileSync } from 'node:child_process';

/** A program running in a real terminal: a detached tmux session on a tmux server of its own. */
export interface TmuxSession {
  /** The screen as text, one string per row (`escapes`: with the colour and attribute sequences). */
  capture(escapes?: boolean): string[];
  sendKeys(...keys: string[]): void;
  /** Whether the program has switched the terminal to its alternate screen. */
  alternateScreen(): boolean;
  resize(columns: number, rows: number): void;
  kill(): void;
}

/** Whether tmux can be run here; a test that needs it fails saying so where it cannot. */
export function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

/** Starts `command` (a shell command line) in a new tmux session of `columns` x `rows`. */
export function startTmux(
  command: string,
  columns: number,
  rows: number,
  env: NodeJS.ProcessEnv = {},
): TmuxSession {
  const server = `wsgictl-test-${process.pid}-${Date.now()}`;
  const tmux = (...args: string[]) =>
    execFileSync('tmux', ['-L', server, ...args], {
      encoding: 'utf8',
      timeout: 10_000,
      env: { ...process.env, ...env },
    });
  tmux('new-session', '-d', '-s', 'top', '-x', String(columns), '-y', String(rows), command);
  return {
    capture: (escapes = false) =>
      tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', 'top')
        .replace(/\n$/, '')
        .split('\n'),
    sendKeys: (...keys) => {
      tmux('send-keys', '-t', 'top', ...keys);
    },
    alternateScreen: () => tmux('display-message', '-p', '-t', 'top', '#{alternate_on}').trim() === '1',
    resize: (x, y) => {
      tmux('resize-window', '-t', 'top', '-x', String(x), '-y', String(y));
    },
    kill: () => {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
    },
  };
}
