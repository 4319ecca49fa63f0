import { spawnSync } from 'node:child_process';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Wall time of one run of a command, in milliseconds; fails loudly if the command fails. */
export function timeCommand(command: string, args: string[], okCodes = [0]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (!okCodes.includes(result.status ?? -1)) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return elapsed;
}

export interface Contender {
  name: string;
  command: string;
  args: string[];
  okCodes?: number[];
}

/** Runs every contender `rounds` times, alternating, and returns the median per contender. */
export function alternate(contenders: Contender[], rounds: number): Map<string, number> {
  const samples = new Map(contenders.map((c) => [c.name, [] as number[]]));
  for (const contender of contenders) timeCommand(contender.command, contender.args, contender.okCodes); // warm caches
  for (let round = 0; round < rounds; round++) {
    for (const contender of contenders) {
      samples.get(contender.name)?.push(timeCommand(contender.command, contender.args, contender.okCodes));
    }
  }
  return new Map([...samples].map(([name, values]) => [name, median(values)]));
}

export function printTable(title: string, rows: string[][]): void {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? [];
  console.log(`\n${title}`);
  for (const row of rows) console.log(`  ${row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')}`);
}
