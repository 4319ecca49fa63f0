import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeSocketReaders, socketAccessAdvice } from '../../src/groups/advice.js';
import type { ProcessInfo } from '../../src/processes/types.js';

function processOf(uid: number, user: string, argv: string[]): ProcessInfo {
  return {
    pid: 100 + uid,
    ppid: 1,
    uid,
    user,
    startKey: '1',
    startedAt: new Date(0),
    nsPid: 100 + uid,
    argv,
    comm: 'apache2',
    rssBytes: null,
  };
}

describe('describeSocketReaders', () => {
  it('says only root when the daemons dropped to another user', () => {
    const parent = processOf(1000, 'alice', ['/usr/sbin/apache2']);
    assert.equal(
      describeSocketReaders(parent, [processOf(1000, 'alice', []), processOf(33, 'www-data', [])]),
      'only root can read their sockets (mod_wsgi makes its daemons non-dumpable when it drops privileges)',
    );
  });

  it('says only root for a root Apache, even when its daemons stay root', () => {
    const parent = processOf(0, 'root', ['/usr/sbin/apache2']);
    assert.match(describeSocketReaders(parent, [processOf(0, 'root', [])]), /^only root can read/);
  });

  it("names the user of an ordinary user's Apache whose daemons kept its user", () => {
    const parent = processOf(1000, 'alice', ['/usr/sbin/apache2']);
    assert.equal(
      describeSocketReaders(parent, [processOf(1000, 'alice', [])]),
      'only root or alice can read their sockets',
    );
    assert.equal(describeSocketReaders(parent, []), 'only root or alice can read their sockets');
  });

  it('with CoreDumpDirectory set, says the daemons’ fds are their user’s but the parent’s listeners are root’s', () => {
    const parent = processOf(0, 'root', ['/usr/sbin/apache2']);
    const dumpable = (uid: number, user: string, is: boolean | undefined): ProcessInfo => ({
      ...processOf(uid, user, []),
      ...(is === undefined ? {} : { dumpable: is }),
    });
    const daemons = [dumpable(33, 'www-data', true), dumpable(1001, 'shop', true)];
    assert.equal(
      describeSocketReaders(parent, daemons, '/var/cores'),
      "only root can read their sockets (CoreDumpDirectory is set, so the daemons' own user can read their fds, but not the Apache parent's listeners that prove whose socket is whose)",
    );
    // A mod_wsgi that leaves them non-dumpable all the same (6.0.5): said so, not the claim above.
    assert.equal(
      describeSocketReaders(parent, [dumpable(33, 'www-data', false)], '/var/cores'),
      'only root can read their sockets (mod_wsgi makes its daemons non-dumpable when it drops privileges, and this mod_wsgi leaves them so although CoreDumpDirectory is set)',
    );
    // A platform that does not tell: the plain answer, claiming neither.
    assert.equal(
      describeSocketReaders(parent, [dumpable(33, 'www-data', undefined)], '/var/cores'),
      'only root can read their sockets (mod_wsgi makes its daemons non-dumpable when it drops privileges)',
    );
    // Daemons that kept root's uid: the plain answer.
    assert.equal(
      describeSocketReaders(parent, [processOf(0, 'root', [])], '/var/cores'),
      'only root can read their sockets (mod_wsgi makes its daemons non-dumpable when it drops privileges)',
    );
  });
});

describe('socketAccessAdvice', () => {
  it("adds what helps, with the length the display-name is cut to: the parent's argv[0]", () => {
    const parent = processOf(1000, 'alice', ['/usr/sbin/apache2', '-k', 'start']);
    assert.equal(
      socketAccessAdvice(parent, [processOf(1000, 'alice', [])]),
      'only root or alice can read their sockets: run wsgictl with sudo, or reload with --touch SCRIPT, or give each group a display-name that stays distinct when cut to "/usr/sbin/apache2"\'s length',
    );
  });

  it('names an empty argv[0] as ""', () => {
    assert.match(socketAccessAdvice(processOf(0, 'root', []), []), /cut to ""'s length$/);
  });
});
