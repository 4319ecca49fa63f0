// The floor for any Node program: read every /proc/PID/cmdline and keep the ones that mention wsgi:.
import { readdirSync, readFileSync } from 'node:fs';

const found: number[] = [];
for (const entry of readdirSync('/proc')) {
  if (!/^\d+$/.test(entry)) continue;
  try {
    if (readFileSync(`/proc/${entry}/cmdline`, 'latin1').includes('wsgi:')) found.push(Number(entry));
  } catch {
    // gone mid-scan
  }
}
process.stdout.write(`${JSON.stringify(found)}\n`);
