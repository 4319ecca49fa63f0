import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PLAIN } from '../../../src/cli/color.js';
import { renderPs } from '../../../src/cli/render/ps.js';
import type { UntrustedInstance } from '../../../src/groups/discover.js';
import type { ProcessInfo } from '../../../src/processes/types.js';

const fake: ProcessInfo = {
  pid: 4242,
  ppid: 1,
  uid: 1001,
  user: 'eve',
  startKey: '1',
  startedAt: new Date(0),
  nsPid: 4242,
  argv: ['apache2', '-f', '/home/eve/httpd.conf'],
  comm: 'apache2',
  rssBytes: null,
};
const untrusted: UntrustedInstance[] = [
  { parent: fake, distrust: 'runs as eve (uid 1001), not as root or as you' },
];
const options = { workers: false, now: 0, color: PLAIN, untrusted };

test('ps lists an untrusted Apache on one line: not read, never signalled, how to look anyway', () => {
  assert.equal(
    renderPs([], { ...options, groups: [] }),
    'apache2 pid 4242 (eve): not trusted, runs as eve (uid 1001), not as root or as you; not read, never signalled (--instance 4242 to look at it anyway)',
  );
});

test('ps GROUP does not list untrusted instances (their groups are unknown), it counts them', () => {
  assert.equal(
    renderPs([], { ...options, groups: ['django'] }),
    'no group "django" in any Apache instance (1 Apache instance is not trusted and not read: see `wsgictl ps`)',
  );
});

test('ps with nothing at all says no Apache runs', () => {
  assert.match(
    renderPs([], { ...options, untrusted: [], groups: [] }),
    /^no Apache \(apache2\/httpd\) is running/,
  );
});
