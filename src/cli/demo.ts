import type { Command } from 'commander';
import type { CliContext } from './context.js';

export function registerDemo(program: Command, context: CliContext): void {
  program
    .command('demo')
    .description('start a throwaway Apache + mod_wsgi with two groups on a loopback port, until Ctrl-C')
    .action(async () => {
      const { color } = context;
      const { startSandbox } = await import('../sandbox/apache.js');
      const sandbox = await startSandbox({
        groups: [
          { name: 'django', processes: 3 },
          { name: 'djangoadmin', processes: 1 },
        ],
        argv0: 'apache2',
      });
      try {
        context.out(
          [
            `${color.bold('demo Apache')} pid ${sandbox.pid}, serving http://127.0.0.1:${sandbox.port}/django and /djangoadmin`,
            `config ${sandbox.configFile}`,
            'Started as `apache2`, so both groups show the same cut name "(wsgi:d": ps tells them apart by socket.',
            'In another terminal, try:',
            '  wsgictl ps',
            '  wsgictl reload django',
            '  wsgictl reload django --rolling',
            `  wsgictl watch ${sandbox.root} --group django     (then: touch ${sandbox.scriptFile})`,
            'Ctrl-C stops the demo.',
            '',
          ].join('\n'),
        );
        await context.stopSignal();
      } finally {
        await sandbox.stop();
      }
      context.out('demo stopped\n');
    });
}
