import type { Envelope } from '../../src/fleet/envelope.js';
import type { SshOutput } from '../../src/fleet/ssh.js';
import { VERSION } from '../../src/version.js';
import { failingReloader, failingSource, recordingContext, testPlatform } from './context.js';

/**
 * The CLI with ssh handed in: each host answers from `answers` (by host name, the word after `--`), and
 * every ssh command line is kept. Nothing here reads or signals a process of this machine.
 */
export function fleetContext(answers: Record<string, (remote: string) => SshOutput>) {
  const calls: string[][] = [];
  const recording = recordingContext({
    platform: testPlatform({
      source: failingSource('a fleet run reads no local process'),
      reloader: failingReloader('a fleet run reloads nothing locally'),
    }),
    ssh: async (args) => {
      calls.push(args);
      const host = args[args.indexOf('--') + 1] as string;
      const answer = answers[host];
      return answer
        ? answer(args.at(-1) as string)
        : {
            exitCode: 255,
            signal: null,
            stdout: '',
            stderr: `ssh: Could not resolve hostname ${host}: Name or service not known\n`,
          };
    },
  });
  return { ...recording, calls };
}

/** What a host's wsgictl answers over ssh: its envelope, with `fields` over a successful, silent run. */
export const answer = (fields: Partial<Envelope>): SshOutput => ({
  exitCode: fields.exitCode ?? 0,
  signal: null,
  stdout: `${JSON.stringify({ wsgictl: VERSION, exitCode: 0, stdout: '', stderr: '', ...fields })}\n`,
  stderr: '',
});
