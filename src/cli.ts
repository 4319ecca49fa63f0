import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { colorLevel, createPaint, PLAIN } from './cli/color.js';
import type { CliContext } from './cli/context.js';
import { registerDemo } from './cli/demo.js';
import { registerLogs } from './cli/logs.js';
import { registerPs } from './cli/ps.js';
import { registerReload } from './cli/reload.js';
import { registerWatch } from './cli/watch.js';
import { EXIT, WsgictlError } from './errors.js';
import { ENVELOPE_FLAG, type Envelope } from './fleet/envelope.js';
import { describeRefusal, refuseEnvelopeArguments } from './fleet/envelope-args.js';
import { createPlatform } from './platform.js';
import { MESSAGE_MAX_CHARS, neutralise, neutraliseLines } from './terminal.js';
import { VERSION } from './version.js';

export function parsePid(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new InvalidArgumentError('expected a process id (a positive whole number)');
  }
  return Number(value);
}

/**
 * Resolves at a line `stop` on this stream (the caller's wsgictl writes one at Ctrl-C). The stream never
 * keeps the process alive, and its end without such a line resolves nothing.
 */
function stopLine(stream: NodeJS.ReadStream): Promise<'SIGINT'> {
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

async function defaultContext(): Promise<CliContext> {
  const platform = createPlatform();
  return {
    platform,
    cwd: process.cwd(),
    now: Date.now,
    reloader: () => platform.reloader,
    services: () => platform.services(),
    setExitCode: () => {},
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    color: await createPaint(colorLevel(process.env, process.stdout.isTTY === true)),
    errColor: await createPaint(colorLevel(process.env, process.stderr.isTTY === true)),
    source: () => platform.source,
    stopSignal: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      }),
    callerStop: () => stopLine(process.stdin),
  };
}

export function buildProgram(context: CliContext): Command {
  const program = new Command('wsgictl')
    .description('find and reload mod_wsgi daemon process groups, and watch source trees to drive reloads')
    .version(VERSION)
    .option('--verbose', 'print stack traces of errors')
    .exitOverride()
    .configureOutput({
      writeOut: context.out,
      writeErr: context.err,
      // Commander's own errors, made to read like ours: one line that says where to look.
      outputError: (text, write) =>
        write(
          `${context.errColor.red('wsgictl:')} ${neutraliseLines(text.replace(/^error: /, '').trimEnd())} (see --help)\n`,
        ),
    });
  registerPs(program, context, parsePid);
  registerReload(program, context, parsePid);
  registerWatch(program, context, parsePid);
  registerLogs(program, context, parsePid);
  registerDemo(program, context);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/**
 * What --verbose adds under the one-line message: the stack's frames without its first line, which would
 * repeat that message, then the cause's stack.
 */
export function formatStack(error: Error): string {
  const stack = error.stack ?? '';
  const at = stack.indexOf('\n    at ');
  const frames = at === -1 ? '' : `${stack.slice(at + 1)}\n`;
  const cause =
    error.cause instanceof Error ? `caused by: ${error.cause.stack ?? error.cause.message}\n` : '';
  return frames + cause;
}

interface Outcome {
  exitCode: number;
  error?: Envelope['error'];
}

async function run(argv: string[], context: CliContext): Promise<Outcome> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram({ ...context, setExitCode: (code) => (exitCode = code) });
  try {
    await program.parseAsync(argv);
    return { exitCode };
  } catch (error) {
    if (error instanceof CommanderError) {
      // An explicit --help or --version is success; help shown because no command was given is a usage error.
      const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version';
      return ok
        ? { exitCode: EXIT.ok }
        : { exitCode: EXIT.usage, error: { code: 'USAGE', message: error.message.replace(/^error: /, '') } };
    }
    const verbose = program.opts<{ verbose?: boolean }>().verbose === true;
    if (error instanceof WsgictlError) {
      context.err(`${context.errColor.red('wsgictl:')} ${neutralise(error.message, MESSAGE_MAX_CHARS)}\n`);
      if (verbose) context.err(neutraliseLines(formatStack(error)));
      return { exitCode: error.exitCode, error: { code: error.code, message: error.message } };
    }
    const message = `unexpected error: ${(error as Error).message ?? error}`;
    context.err(`${context.errColor.red('wsgictl:')} ${neutralise(message, MESSAGE_MAX_CHARS)}\n`);
    if (verbose && error instanceof Error) context.err(neutraliseLines(formatStack(error)));
    return { exitCode: EXIT.failed, error: { code: 'UNEXPECTED', message } };
  }
}

/**
 * `wsgictl --envelope COMMAND ...`, as the wsgictl of another host runs it over ssh: the command's output
 * and its outcome in one JSON line (see Envelope), plain, whatever the terminal.
 */
async function runEnveloped(argv: string[], base: CliContext): Promise<number> {
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
    base.out(`${JSON.stringify(envelope)}\n`);
    return EXIT.usage;
  }
  let stdout = '';
  let stderr = '';
  const context: CliContext = {
    ...base,
    color: PLAIN,
    errColor: PLAIN,
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
    stopSignal: () => Promise.race([base.stopSignal(), ...(base.callerStop ? [base.callerStop()] : [])]),
  };
  const { exitCode, error } = await run(argv, context);
  const envelope: Envelope = { wsgictl: VERSION, exitCode, stdout, stderr, ...(error ? { error } : {}) };
  base.out(`${JSON.stringify(envelope)}\n`);
  return exitCode;
}

/** Runs the CLI and returns the exit code; never calls process.exit, so pending output is flushed. */
export async function main(argv: string[], given?: CliContext): Promise<number> {
  const context = given ?? (await defaultContext());
  if (argv[2] === ENVELOPE_FLAG) return runEnveloped([...argv.slice(0, 2), ...argv.slice(3)], context);
  // `"--envelope reload" ...` as one word also matches a sudoers `--envelope reload *`: never a plain run.
  if (argv[2]?.startsWith(ENVELOPE_FLAG))
    return runEnveloped([...argv.slice(0, 2), argv[2], ...argv.slice(3)], context);
  return (await run(argv, context)).exitCode;
}
