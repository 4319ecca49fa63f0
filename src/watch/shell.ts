import type { SpawnOptions } from 'node:child_process';

/** How `watch --exec` runs the user's shell text on this platform (Platform.shell). */
export interface Shell {
  command(text: string, env: NodeJS.ProcessEnv): { file: string; args: string[]; options: SpawnOptions };
  /** The command gets a process group of its own, so descendants whose parent died are still signalled. */
  readonly processGroup: boolean;
}

/**
 * The user wrote the command as shell text, so it runs through the shell explicitly (`sh -c CMD`,
 * `cmd.exe /d /s /c CMD`) rather than through a home-made word splitter: quotes, pipes and `&&` behave
 * as the user expects, and nothing is ever concatenated into it.
 */
export function shellCommand(
  command: string,
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
): { file: string; args: string[]; options: SpawnOptions } {
  if (platform === 'win32') {
    return {
      file: env.ComSpec ?? 'cmd.exe',
      args: ['/d', '/s', '/c', `"${command}"`],
      options: { windowsVerbatimArguments: true },
    };
  }
  // detached: its own process group, so descendants whose parent already died are still reachable.
  return { file: '/bin/sh', args: ['-c', command], options: { detached: true } };
}

/** The shell of a platform: cmd.exe without process groups on Windows, /bin/sh in its own group elsewhere. */
export function createShell(platform: NodeJS.Platform): Shell {
  return {
    command: (text, env) => shellCommand(text, platform, env),
    processGroup: platform !== 'win32',
  };
}
