import { type Command, InvalidArgumentError } from 'commander';
import type { CliContext } from './context.js';

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new InvalidArgumentError('expected a port number from 1 to 65535');
  }
  return port;
}

export function registerDemo(program: Command, context: CliContext): void {
  program
    .command('demo')
    .description('start a throwaway Apache + mod_wsgi with two groups on a loopback port, until Ctrl-C')
    .option('--port <n>', 'listen on this port of 127.0.0.1 (default: a free one)', parsePort)
    .action(async (options: { port?: number }) => {
      const { color } = context;
      // Listening from the start: a Ctrl-C while Apache starts must still stop it and remove its ServerRoot
      // (without a listener it would end this process at once and leave both behind).
      const stopped = context.stopSignal();
      const starting = new AbortController();
      void stopped.then(() => starting.abort());
      const { startSandbox } = await import('../sandbox/apache.js');
      let sandbox: Awaited<ReturnType<typeof startSandbox>>;
      try {
        sandbox = await startSandbox({
          groups: [
            { name: 'django', processes: 3 },
            { name: 'djangoadmin', processes: 1 },
          ],
          argv0: 'apache2',
          port: options.port,
          signal: starting.signal,
        });
      } catch (error) {
        if (!starting.signal.aborted) throw error;
        context.out('demo stopped while its Apache was starting\n');
        return;
      }
      // Another Apache on this machine may have groups of the same names: every hint names this instance.
      const instance = `--instance ${sandbox.pid}`;
      try {
        context.out(
          [
            `${color.bold('demo Apache')} pid ${sandbox.pid}, serving http://127.0.0.1:${sandbox.port}/django and /djangoadmin`,
            `config ${sandbox.configFile}`,
            'Started as `apache2`, so both groups show the same cut name "(wsgi:d": ps tells them apart by socket.',
            'In another terminal, try:',
            `  wsgictl ps ${instance}`,
            `  wsgictl reload django ${instance}`,
            `  wsgictl reload django --rolling ${instance}`,
            `  wsgictl watch ${sandbox.root} --group django ${instance}     (then: touch ${sandbox.scriptFile})`,
            'Ctrl-C stops the demo.',
            '',
          ].join('\n'),
        );
        await stopped;
      } finally {
        // Another Ctrl-C while Apache stops waits for it too, rather than leave it running.
        void context.stopSignal();
        await sandbox.stop();
      }
      context.out('demo stopped\n');
    });
}
