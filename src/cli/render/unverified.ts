import { formatBytes, formatColumns, formatDuration, formatList } from '../../format.js';
import { readEvidence } from '../../groups/evidence.js';
import type { ApacheInstance } from '../../groups/instance.js';
import type { Paint } from '../color.js';

/**
 * An unverified instance's daemons: what each one shows (the listener socket it holds, its display-name as
 * seen), under no group. Which group a socket id or a cut name stands for is what the doubts below put in
 * question, so no label and no per-group count is printed.
 */
export function renderUnverifiedDaemons(instance: ApacheInstance, now: number, color: Paint): string[] {
  const names = instance.config.groups.map((group) => group.name);
  const daemons = instance.children.filter((member) => member.role === 'daemon');
  const lines = [
    `  ${color.yellow(`groups in the configuration as it reads now: ${formatList(names) || 'none'}; which process belongs to which is not shown while it is unverified`)}`,
  ];
  if (daemons.length === 0) return lines;
  const rows = daemons.map((member) => {
    const evidence = readEvidence(member, instance);
    const socket =
      evidence.socketId === null ? 'not read' : `id ${evidence.socketId} -> ${evidence.socketPath ?? '?'}`;
    return [
      String(member.process.pid),
      member.process.user,
      formatDuration(now - member.process.startedAt.getTime()),
      formatBytes(member.process.rssBytes),
      socket,
      evidence.displayName,
    ];
  });
  const [head, ...body] = formatColumns(
    [['PID', 'USER', 'UPTIME', 'RSS', 'LISTENER SOCKET', 'DISPLAY-NAME (AS SEEN)'], ...rows],
    '    ',
  );
  return [...lines, color.dim(head ?? ''), ...body];
}
