import type { CompletionSpec, OptionSpec, Values } from './spec.js';

/** Text inside a single-quoted _arguments spec: [ ] : and ' escaped. */
function escapeSpec(text: string): string {
  return text.replace(/[[\]:\\]/g, (c) => `\\${c}`).replaceAll("'", "'\\''");
}

function action(values: Values): string {
  switch (values.kind) {
    case 'groups':
    case 'instances':
      return `_wsgictl_list ${values.kind}`;
    case 'files':
      return '_files';
    case 'words':
      return `(${values.words.join(' ')})`;
    case 'none':
      return ' ';
  }
}

function optionSpecs(options: OptionSpec[]): string[] {
  return options.flatMap((option) =>
    option.names.map((name) => {
      const description = escapeSpec(option.description);
      if (!option.value) return `'${name}[${description}]'`;
      const label = escapeSpec(name.replace(/^-+/, ''));
      // Values may repeat (--group, --ignore); an optional value goes after '=' (--poll=1s).
      const form = option.value.required ? name : `${name}=-`;
      return `'*${form}[${description}]:${label}:${action(option.value.values)}'`;
    }),
  );
}

/** The zsh completion function (`wsgictl completion zsh`), for a file `_wsgictl` in a folder of $fpath. */
export function renderZsh(spec: CompletionSpec): string {
  const commands = spec.commands.map((command) => `    '${command.name}:${escapeSpec(command.description)}'`);
  const cases = spec.commands.map((command) => {
    const args = command.args.map((arg, index) => {
      const last = index === command.args.length - 1 && command.variadic;
      return `'${last ? '*' : index + 1}:${command.name === 'signal' && index === 1 ? 'signal' : 'argument'}:${action(arg)}'`;
    });
    const specs = [...optionSpecs(command.options), ...args].map((line) => `          ${line}`).join(' \\\n');
    return `        ${command.name})\n          _arguments -s \\\n${specs}\n          ;;`;
  });
  return `#compdef ${spec.program}
# zsh completion for ${spec.program}: \`source <(${spec.program} completion zsh)\` after compinit, or install it
# as _${spec.program} in a folder of $fpath (the .deb: /usr/share/zsh/vendor-completions/_${spec.program}).

# Group names and Apache pids, from the running Apache as this user sees it.
_wsgictl_list() {
  local -a items
  items=(\${(f)"$(_call_program $1 \${_wsgictl_command} completion --list $1 2>/dev/null)"})
  compadd -a items
}

_wsgictl() {
  local _wsgictl_command=\${words[1]}
  local curcontext=$curcontext state line
  local -a commands
  commands=(
${commands.join('\n')}
  )
  _arguments -C \\
${optionSpecs(spec.options)
  .map((line) => `    ${line} \\`)
  .join('\n')}
    '1: :->command' \\
    '*:: :->argument'
  case $state in
    command) _describe -t commands command commands ;;
    argument)
      case $words[1] in
${cases.join('\n')}
      esac
      ;;
  esac
}

if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _wsgictl "$@"
else
  compdef _wsgictl ${spec.program}
fi
`;
}
