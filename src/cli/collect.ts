/**
 * Commander's parser for a repeatable option. It starts undefined rather than [], so that --help shows
 * no "(default: [])".
 */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
