import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createShell } from '../../src/watch/shell.js';
import { createSupervisor } from '../../src/watch/supervisor.js';
import { waitFor } from '../helpers/apache.js';

/** Every live descendant of `pid`, from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // exited meanwhile
    }
  }
  const found: number[] = [];
  const walk = (p: number): void => {
    for (const child of children.get(p) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z';
  } catch {
    return false;
  }
}

const skip = process.platform === 'linux' ? false : 'reads /proc';

describe('createSupervisor', { skip }, () => {
  it('restart stops the whole tree, even a child that ignores SIGTERM, and starts a new one', async (t) => {
    // a shell with two grandchildren; one traps TERM and must be SIGKILLed after the stop timeout
    const command = `sleep 300 & sh -c 'trap "" TERM; while true; do sleep 1; done' & wait`;
    const exits: number[] = [];
    const supervisor = createSupervisor({
      command,
      stdout: 'inherit',
      stopTimeoutMs: 300,
      onExit: (pid) => exits.push(pid),
      shell: createShell('linux'),
    });
    t.after(() => supervisor.stop());
    const first = supervisor.start();
    assert.ok(first);
    const oldTree = await waitFor('the tree to start', () => {
      const tree = descendants(first);
      return tree.length >= 3 && tree;
    });
    const { oldPid, newPid } = await supervisor.restart();
    assert.equal(oldPid, first);
    assert.ok(newPid && newPid !== first);
    assert.deepEqual([first, ...oldTree].filter(alive), [], 'no orphan of the old tree survives');
    assert.ok(alive(newPid));
    await supervisor.stop();
    assert.equal(alive(newPid), false);
    assert.deepEqual(exits, [], 'stops it asked for are not reported as exits');
  });

  it('reports a command that exits on its own', async (t) => {
    const exits: number[] = [];
    const supervisor = createSupervisor({
      command: 'exit 3',
      stdout: 'inherit',
      onExit: (pid) => exits.push(pid),
      shell: createShell('linux'),
    });
    t.after(() => supervisor.stop());
    const pid = supervisor.start();
    await waitFor('the exit', () => exits.length === 1);
    assert.deepEqual(exits, [pid]);
  });
});
