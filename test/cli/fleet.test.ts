import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { addFleetOptions, asksForFleet } from '../../src/cli/fleet.js';
import { DEFAULT_REMOTE_COMMAND } from '../../src/fleet/ssh.js';

test('the fleet is asked for by any fleet option, and only then', () => {
  assert.equal(asksForFleet({}), false);
  for (const flags of [
    { host: ['web1'] },
    { hostsFile: 'hosts' },
    { sshConfig: 'f' },
    { sshOption: ['Port=1'] },
    { remoteWsgictl: 'sudo -n wsgictl' },
    { parallel: 2 },
    { keepGoing: true },
  ])
    assert.equal(asksForFleet(flags), true, JSON.stringify(flags));
});

test("the help names the remote command's real default", () => {
  const help = addFleetOptions(new Command('x'), { keepGoing: false }).helpInformation();
  assert.match(help.replace(/\s+/g, ' '), new RegExp(`\\(default "${DEFAULT_REMOTE_COMMAND}";`));
});
