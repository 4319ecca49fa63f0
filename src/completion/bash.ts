import type { CompletionSpec, OptionSpec, Values } from './spec.js';

/** A bash statement that sets COMPREPLY from `values` for the word being typed ($cur). */
function reply(values: Values): string {
  switch (values.kind) {
    case 'groups':
    case 'instances':
      return `COMPREPLY=($(compgen -W "$(_wsgictl_list ${values.kind})" -- "$cur"))`;
    case 'files':
      return 'COMPREPLY=($(compgen -f -- "$cur"))';
    case 'words':
      return `COMPREPLY=($(compgen -W "${values.words.join(' ')}" -- "$cur"))`;
    case 'none':
      return 'COMPREPLY=()';
  }
}

const longNames = (options: OptionSpec[]) => options.flatMap((option) => option.names).join(' ');

/**
 * The bash completion script (`wsgictl completion bash`): commands, their options, option values and
 * positional arguments; group names and Apache pids come from `wsgictl completion --list`, run as the user.
 */
export function renderBash(spec: CompletionSpec): string {
  const { program } = spec;
  const skips: string[] = [];
  const values: string[] = [];
  const options: string[] = [];
  const positionals: string[] = [];
  for (const command of spec.commands) {
    for (const option of command.options) {
      if (!option.value) continue;
      const pattern = option.names.map((name) => `${command.name}:${name}`).join('|');
      // A required value is the next word; an optional one ([interval]) only when typed as --poll=1s.
      if (option.value.required) skips.push(`      ${pattern}) ((i++)) ;;`);
      values.push(`    ${pattern}) ${reply(option.value.values)}; return ;;`);
    }
    options.push(
      `      ${command.name}) COMPREPLY=($(compgen -W "${longNames(command.options)}" -- "$cur")) ;;`,
    );
    command.args.forEach((arg, index) => {
      const last = index === command.args.length - 1 && command.variadic;
      positionals.push(`    ${command.name}:${last ? '*' : index}) ${reply(arg)} ;;`);
    });
  }
  return `# bash completion for ${program}: \`source <(${program} completion bash)\`, or install it as
# /usr/share/bash-completion/completions/${program} (the .deb does).
_wsgictl_list() {
  "\${COMP_WORDS[0]}" completion --list "$1" 2>/dev/null
}

_wsgictl() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local cmd="" npos=0 i word
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    if [[ -z $cmd ]]; then
      [[ $word != -* ]] && cmd=$word
      continue
    fi
    case "$cmd:$word" in
${skips.join('\n')}
      *:-*) ;;
      *) ((npos++)) ;;
    esac
  done
  if [[ -z $cmd ]]; then
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "${longNames(spec.options)}" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "${spec.commands.map((command) => command.name).join(' ')}" -- "$cur"))
    fi
    return
  fi
  case "$cmd:$prev" in
${values.join('\n')}
  esac
  if [[ $cur == -* ]]; then
    case $cmd in
${options.join('\n')}
    esac
    return
  fi
  case "$cmd:$npos" in
${positionals.join('\n')}
  esac
}
complete -F _wsgictl ${program}
`;
}
