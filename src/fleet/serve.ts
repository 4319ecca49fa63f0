import { EXIT } from '../errors.js';
import { VERSION } from '../version.js';
import { ENVELOPE_FLAG, type Envelope } from './envelope.js';
import { describeRefusal, refuseEnvelopeArguments } from './envelope-args.js';

/** What a command run under --envelope ended with: its exit code and, when it failed, its error. */
export interface ServedOutcome {
  exitCode: number;
  error?: Envelope['error'];
}

/** Where the served command writes, and what stops it: all captured into the envelope. */
export interface ServedIo {
  out: (text: string) => void;
  err: (text: string) => void;
  stopSignal: () => Promise<'SIGINT' | 'SIGTERM'>;
}

/** The caller's side of a served run: where the envelope goes, and the stops it may ask for. */
export interface ServeHost {
  out: (text: string) => void;
  stopSignal: () => Promise<'SIGINT' | 'SIGTERM'>;
  callerStop?: () => Promise<'SIGINT'>;
}

/**
 * Resolves at a line `stop` on this stream (the caller's wsgictl writes one at Ctrl-C). The stream never
 * keeps the process alive, and its end without such a line resolves nothing.
 */
export function stopLine(stream: NodeJS.ReadStream): Promise<'SIGINT'> {
  return new Promise((resolve) => {
    let text = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      text += chunk;
      if (/^stop\r?$/m.test(text)) resolve('SIGINT');
    });
    stream.on('error', () => {});
    (stream as { unref?: () => void }).unref?.();
  });
}

/**
 * The argv to run under --envelope (without the flag), or undefined for a plain run. `"--envelope reload"`
 * as one word also matches a sudoers `--envelope reload *`: it is never a plain run, and is refused.
 */
export function envelopedArgv(argv: string[]): string[] | undefined {
  if (argv[2] === ENVELOPE_FLAG) return [...argv.slice(0, 2), ...argv.slice(3)];
  if (argv[2]?.startsWith(ENVELOPE_FLAG)) return [...argv.slice(0, 2), argv[2], ...argv.slice(3)];
  return undefined;
}

/**
 * `wsgictl --envelope COMMAND ...`, as the wsgictl of another host runs it over ssh: the command's output
 * and its outcome in one JSON line (see Envelope). `run` runs the command with the io it is handed.
 */
export async function serveEnvelope(
  argv: string[],
  host: ServeHost,
  run: (argv: string[], io: ServedIo) => Promise<ServedOutcome>,
): Promise<number> {
  // Before commander: a sudoers line lets the caller append any words, so only a fleet call gets through.
  const refusal = refuseEnvelopeArguments(argv.slice(2));
  if (refusal) {
    const message = describeRefusal(refusal);
    const envelope: Envelope = {
      wsgictl: VERSION,
      exitCode: EXIT.usage,
      stdout: '',
      stderr: `wsgictl: ${message}\n`,
      error: { code: 'USAGE', message },
    };
    host.out(`${JSON.stringify(envelope)}\n`);
    return EXIT.usage;
  }
  let stdout = '';
  let stderr = '';
  const { exitCode, error } = await run(argv, {
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    stopSignal: () => Promise.race([host.stopSignal(), ...(host.callerStop ? [host.callerStop()] : [])]),
  });
  const envelope: Envelope = { wsgictl: VERSION, exitCode, stdout, stderr, ...(error ? { error } : {}) };
  host.out(`${JSON.stringify(envelope)}\n`);
  return exitCode;
}
