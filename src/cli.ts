import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { colorLevel, createPaint, PLAIN } from './cli/color.js';
import { registerCompletion } from './cli/completion.js';
import type { CliContext } from './cli/context.js';
import { registerDemo } from './cli/demo.js';
import { registerGraceful } from './cli/graceful.js';
import { registerLogs } from './cli/logs.js';
import { registerPs } from './cli/ps.js';
import { registerReload } from './cli/reload.js';
import { registerSignal } from './cli/signal.js';
import { registerWatch } from './cli/watch.js';
import { describeError, EXIT, WsgictlError } from './errors.js';
import type { ServedOutcome } from './fleet/serve.js';
import { createPlatform } from './platform.js';
import { currentRuntime, versionText } from './standalone.js';
import { MESSAGE_MAX_CHARS, neutralise, neutraliseLines } from './terminal.js';
import { VERSION } from './version.js';

export function parsePid(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new InvalidArgumentError('expected a process id (a positive whole number)');
  }
  return Number(value);
}

async function defaultContext(): Promise<CliContext> {
  const platform = createPlatform();
  return {
    platform,
    cwd: process.cwd(),
    now: Date.now,
    setExitCode: () => {},
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    color: await createPaint(colorLevel(process.env, process.stdout.isTTY === true)),
    errColor: await createPaint(colorLevel(process.env, process.stderr.isTTY === true)),
    stopSignal: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      }),
    // Asked for only under --envelope, so the fleet's code is loaded only then.
    callerStop: async () => (await import('./fleet/serve.js')).stopLine(process.stdin),
  };
}

export function buildProgram(context: CliContext): Command {
  const program = new Command('wsgictl')
    .description('find and reload mod_wsgi daemon process groups, and watch source trees to drive reloads')
    .version(versionText(VERSION, currentRuntime()))
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
  registerGraceful(program, context, parsePid);
  registerSignal(program, context, parsePid);
  registerWatch(program, context, parsePid);
  registerLogs(program, context, parsePid);
  registerDemo(program, context);
  registerCompletion(program, context);
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

async function run(argv: string[], context: CliContext): Promise<ServedOutcome> {
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
    const message = `unexpected error: ${describeError(error)}`;
    context.err(`${context.errColor.red('wsgictl:')} ${neutralise(message, MESSAGE_MAX_CHARS)}\n`);
    if (verbose && error instanceof Error) context.err(neutraliseLines(formatStack(error)));
    return { exitCode: EXIT.failed, error: { code: 'UNEXPECTED', message } };
  }
}

/** Runs the CLI and returns the exit code; never calls process.exit, so pending output is flushed. */
export async function main(argv: string[], given?: CliContext): Promise<number> {
  const context = given ?? (await defaultContext());
  // `--envelope` (fleet/envelope.ts's ENVELOPE_FLAG) by its text: a plain run loads no fleet code.
  if (argv[2]?.startsWith('--envelope')) {
    const { envelopedArgv, serveEnvelope } = await import('./fleet/serve.js');
    const enveloped = envelopedArgv(argv);
    if (enveloped)
      return serveEnvelope(enveloped, context, (each, io) =>
        run(each, { ...context, ...io, color: PLAIN, errColor: PLAIN }),
      );
  }
  return (await run(argv, context)).exitCode;
}
