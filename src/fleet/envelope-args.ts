import { usageError } from '../errors.js';

/**
 * What `wsgictl --envelope ...` accepts: only what the wsgictl of another host sends over ssh. It is the
 * host side of --host and often runs as root through a sudoers line, whose `*` lets the caller append any
 * words at all; so this is an allowlist, and everything else (the fleet's own options, any option that
 * names a file, a URL or a service to act on, any other command) is refused before commander sees it.
 */

/** The options each command takes over --envelope; `value`: takes one (`--name=value`, as the fleet sends it). */
const ALLOWED: Record<string, Record<string, 'flag' | 'value'>> = {
  ps: { '--json': 'flag', '--workers': 'flag' },
  reload: {
    '--graceful': 'flag',
    '--signal': 'value',
    '--rolling': 'flag',
    '--timeout': 'value',
    '--no-wait': 'flag',
    '--dry-run': 'flag',
    '--trust-config': 'flag',
    '--all': 'flag',
    '--json': 'flag',
    // Bare only: the group's own mount points. `--check URL` would have the host fetch the caller's URL.
    '--check': 'flag',
    '--check-timeout': 'value',
    '--allow-stop-start': 'flag',
    '--no-preflight': 'flag',
    '--canary': 'value',
    // A text and a status the answer must carry: compared, never fetched or run.
    '--expect': 'value',
    '--expect-status': 'value',
  },
  // One sample per call (`--once` is required, see refuseEnvelopeArguments): never a view that runs on.
  top: { '--once': 'flag', '--json': 'flag', '--interval': 'value' },
  graceful: {
    '--drain': 'flag',
    '--timeout': 'value',
    '--dry-run': 'flag',
    '--json': 'flag',
    // Bare only, as for reload.
    '--check': 'flag',
    '--check-timeout': 'value',
  },
};

/** Options refused for what they name, with the reason given to the user. */
const NAMES_SOMETHING: Record<string, string> = {
  '--touch': 'it names a file to touch',
  '--url': 'it names a URL to request',
  '--check': "with a value it names a URL to request (a bare --check, the group's own mount points, is fine)",
  '--pidfile': 'it names a file to read',
  '--service': 'it names a service to restart',
  // A pid says nothing across hosts, and --instance would have root read an untrusted Apache as hostile input.
  '--instance':
    'it names a process by its pid, which means nothing across hosts and may name an Apache that is not trusted',
  '--host': 'it is a fleet option',
  '--hosts-file': 'it is a fleet option (and names a file to read)',
  '--ssh-config': 'it is a fleet option (and names a file to read)',
  '--ssh-option': 'it is a fleet option',
  '--remote-wsgictl': 'it is a fleet option',
  '--parallel': 'it is a fleet option',
  '--keep-going': 'it is a fleet option',
};

export interface EnvelopeRefusal {
  /** The option (or command) refused, as the user would type it. */
  option: string;
  /** Why, in a few words; an option not known here says "unknown option" (as commander does). */
  reason: string;
}

/** The one-line message of a refusal on the host. */
export function describeRefusal(refusal: EnvelopeRefusal): string {
  return `${refusal.option} cannot be used through --envelope: ${refusal.reason}; --envelope takes only what --host sends, run wsgictl on the host itself for anything else`;
}

/**
 * Why these words (after `--envelope`) are not a call another host's wsgictl makes; undefined when they
 * are. Read as commander reads them: `--`, then only group names; an option's value is not an option.
 */
export function refuseEnvelopeArguments(args: string[]): EnvelopeRefusal | undefined {
  const [command, ...rest] = args;
  if (command === '--version' && rest.length === 0) return undefined;
  const allowed = command === undefined ? undefined : ALLOWED[command];
  if (!allowed)
    return {
      option: command ?? '(nothing)',
      reason: 'it runs only ps, reload, graceful, top --once and --version',
    };
  // `--once` seen as an option (not as the value of the option before it, which commander would take).
  let once = false;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] as string;
    if (word === '--') break; // the rest are group names
    if (!word.startsWith('-')) continue;
    const equals = word.indexOf('=');
    const name = equals === -1 ? word : word.slice(0, equals);
    const kind = allowed[name];
    const valued = equals !== -1;
    // A bare --check followed by a word would take that word as its URL.
    const next = rest[i + 1];
    const swallows = name === '--check' && next !== undefined && !next.startsWith('-');
    if (kind === undefined || (kind === 'flag' && (valued || swallows)))
      return { option: name, reason: NAMES_SOMETHING[name] ?? `unknown option '${name}' for ${command}` };
    if (name === '--once') once = true;
    // Commander takes the next word as the value, whatever it is: it is not an option then.
    if (kind === 'value' && !valued) i++;
  }
  if (command === 'top' && !once)
    return { option: 'top', reason: 'top runs there only with --once (one sample per call)' };
  return undefined;
}

/**
 * The local side's check before any host is reached: what --host would send and the host refuse is a
 * usage error here, naming the option.
 */
export function assertForwardable(args: string[]): void {
  const refusal = refuseEnvelopeArguments(args);
  if (refusal)
    throw usageError(
      `${refusal.option} cannot be used with --host: ${refusal.reason}, and the host's wsgictl (often root through sudo) takes none from the caller; run wsgictl on the host itself for that`,
    );
}
