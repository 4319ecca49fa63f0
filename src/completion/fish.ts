import type { CompletionSpec, OptionSpec, Values } from './spec.js';

/** A fish single-quoted string. */
function quote(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/** complete's flags for a value: -x (no files) with candidates, or -r -F for files. */
function valueFlags(values: Values): string {
  switch (values.kind) {
    case 'groups':
    case 'instances':
      return `-x -a ${quote(`(__wsgictl_list ${values.kind})`)}`;
    case 'files':
      return '-r -F';
    case 'words':
      return `-x -a ${quote(values.words.join(' '))}`;
    case 'none':
      return '-x';
  }
}

function optionLines(program: string, condition: string, options: OptionSpec[]): string[] {
  return options.map((option) => {
    const names = option.names
      .map((name) => (name.startsWith('--') ? `-l ${name.slice(2)}` : `-s ${name.slice(1)}`))
      .join(' ');
    const value = option.value ? ` ${valueFlags(option.value.values)}` : '';
    return `complete -c ${program} -n ${quote(condition)} ${names}${value} -d ${quote(option.description)}`;
  });
}

/** The fish completions (`wsgictl completion fish`), for ~/.config/fish/completions/wsgictl.fish. */
export function renderFish(spec: CompletionSpec): string {
  const { program } = spec;
  const names = spec.commands.map((command) => command.name).join(' ');
  const lines = [
    `# fish completion for ${program}: \`${program} completion fish | source\`, or install it as`,
    `# completions/${program}.fish (the .deb: /usr/share/fish/vendor_completions.d/${program}.fish).`,
    '',
    '# Group names and Apache pids, from the running Apache as this user sees it.',
    'function __wsgictl_list',
    '    set -l command (commandline -opc)[1]',
    '    $command completion --list $argv[1] 2>/dev/null',
    'end',
    '',
    '# How many arguments (words not starting with -) follow the command so far.',
    'function __wsgictl_argument_count',
    '    set -l count 0',
    '    for word in (commandline -opc)[3..-1]',
    "        string match -q -- '-*' $word; or set count (math $count + 1)",
    '    end',
    '    echo $count',
    'end',
    '',
    `complete -c ${program} -f`,
    ...optionLines(program, `not __fish_seen_subcommand_from ${names}`, spec.options),
    ...spec.commands.map(
      (command) =>
        `complete -c ${program} -n ${quote(`not __fish_seen_subcommand_from ${names}`)} -a ${command.name} -d ${quote(command.description)}`,
    ),
  ];
  for (const command of spec.commands) {
    const seen = `__fish_seen_subcommand_from ${command.name}`;
    lines.push(...optionLines(program, seen, command.options));
    command.args.forEach((arg, index) => {
      if (arg.kind === 'none') return;
      const last = index === command.args.length - 1 && command.variadic;
      const condition = last ? seen : `${seen}; and test (__wsgictl_argument_count) -eq ${index}`;
      const flags = arg.kind === 'files' ? '-F' : valueFlags(arg).replace(/^-x /, '');
      lines.push(`complete -c ${program} -n ${quote(condition)} ${flags}`);
    });
  }
  return `${lines.join('\n')}\n`;
}
