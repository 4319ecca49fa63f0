import type { Command } from 'commander';

/** The fleet's own options: never forwarded to the host, whose wsgictl is the last hop. */
const FLEET_FLAGS = new Set([
  '--host',
  '--hosts-file',
  '--ssh-config',
  '--ssh-option',
  '--remote-wsgictl',
  '--parallel',
  '--keep-going',
]);

/**
 * The arguments given on this command line, to be given again on each host: every option the user typed
 * (commander's value source 'cli', as `--name=value`, never ambiguous), without the fleet's own. `only`:
 * forward just these long names (`watch --host` sends its reload options to the host's `reload`).
 */
export function forwardArguments(
  command: Command,
  positional: string[],
  only?: ReadonlySet<string>,
): string[] {
  const args = [...positional];
  const values = command.opts();
  for (const option of command.options) {
    const key = option.attributeName();
    const long = option.long ?? '';
    if (command.getOptionValueSource(key) !== 'cli' || FLEET_FLAGS.has(long)) continue;
    if (only && !only.has(long)) continue;
    const value = values[key] as unknown;
    if (option.negate || value === true) args.push(long);
    else if (Array.isArray(value)) {
      if (value.length === 0) args.push(long);
      else for (const each of value) args.push(`${long}=${each}`);
    } else if (value !== false && value !== undefined) args.push(`${long}=${value}`);
  }
  return args;
}
