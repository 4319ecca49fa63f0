import type { Truth } from './truth.js';

/** A version as mod_version reads it: up to three numbers (missing ones are 0) and what follows them (`-dev`). */
interface Version {
  numbers: [number, number, number];
  suffix: string;
}

function readServerVersion(text: string): Version {
  const match = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(text.trim());
  const [major, minor, patch] = [match?.[1], match?.[2], match?.[3]].map((part) => Number(part ?? 0));
  return { numbers: [major ?? 0, minor ?? 0, patch ?? 0], suffix: match?.[4] ?? '' };
}

/** A version written in `<IfVersion>`: a digit first, at most three dot-separated fields; null when Apache refuses it. */
function readWantedVersion(text: string): [number, number, number] | null {
  if (!/^\d+(\.\d*){0,2}$/.test(text)) return null;
  const [major, minor, patch] = text.split('.').map((part) => Number(part || 0));
  return [major ?? 0, minor ?? 0, patch ?? 0];
}

function compare(server: Version, wanted: [number, number, number]): number {
  for (let i = 0; i < 3; i++) {
    const diff = (server.numbers[i] ?? 0) - (wanted[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: 'A-Za-z0-9',
  alpha: 'A-Za-z',
  digit: '0-9',
  lower: 'a-z',
  upper: 'A-Z',
  space: '\\s',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
};

/** Apache compiles the expression with PCRE; JavaScript lacks only PCRE's POSIX classes (`[[:digit:]]`). */
function compileExpression(source: string): RegExp | null {
  const translated = source.replace(/\[:(\w+):\]/g, (whole, name: string) => POSIX_CLASSES[name] ?? whole);
  try {
    return new RegExp(translated);
  } catch {
    return null;
  }
}

const REFUSED = (why: string): Truth => ({ undecided: `Apache refuses this <IfVersion> (${why})` });

/**
 * `<IfVersion [[!]operator] version>` as mod_version evaluates it against the server's version: `=`/`==`
 * (equal; with `/regex/` a match), `~` (a match), `<`, `<=`, `>`, `>=`; `!` in front negates; missing fields
 * of a partial version (`2.4`) count as 0, so `= 2.4` holds for 2.4.0 only. The expression is matched against
 * `major.minor.patch` followed by the build's suffix (`-dev`). What Apache would refuse to start with is
 * undecided: such an Apache is not running this configuration.
 */
export function matchVersion(args: string[], serverVersion: string): Truth {
  if (args.length === 0 || args.length > 2) return REFUSED('expected an operator and a version');
  const [written, wanted] =
    args.length === 1 ? ['=', args[0] as string] : [args[0] as string, args[1] as string];
  const reverse = written.startsWith('!') && written.length > 1;
  const operator = reverse ? written.slice(1) : written;
  const [kind, rest] = [operator[0] ?? '', operator.slice(1)];
  if (!(rest === '' || (rest === '=' && kind !== '~')) || !'=~<>'.includes(kind) || kind === '') {
    return REFUSED(`unrecognized operator '${written}'`);
  }
  const server = readServerVersion(serverVersion);
  let match: boolean;
  if (kind === '~' || (kind === '=' && wanted.startsWith('/'))) {
    let source = wanted;
    if (kind === '=') {
      if (wanted.length < 2 || !wanted.endsWith('/'))
        return REFUSED('missing delimiting / of the expression');
      source = wanted.slice(1, -1);
    }
    const expression = compileExpression(source);
    if (expression === null) return REFUSED(`cannot compile /${source}/`);
    match = expression.test(`${server.numbers.join('.')}${server.suffix}`);
  } else {
    const numbers = readWantedVersion(wanted);
    if (numbers === null) return REFUSED(`'${wanted}' is not major[.minor[.patch]]`);
    const order = compare(server, numbers);
    if (kind === '=') match = order === 0;
    else if (kind === '<') match = order < 0 || (rest === '=' && order === 0);
    else match = order > 0 || (rest === '=' && order === 0);
  }
  return reverse ? !match : match;
}
