import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSites } from '../../src/apache/config/sites.js';
import type { ApacheInstance } from '../../src/groups/instance.js';
import { findGroupRoots } from '../../src/preflight/preflight.js';
import { isPreloaded } from '../../src/reload/canary.js';

function instanceWith(change: (sites: ReturnType<typeof createSites>) => void): ApacheInstance {
  const sites = createSites();
  change(sites);
  return { config: { sites, groups: [] } } as unknown as ApacheInstance;
}

const mount = { url: '/', match: false, script: '/srv/app/app.wsgi', vhost: null, file: 'a.conf', line: 1 };

describe('a group whose script is loaded as each daemon starts', () => {
  it('a mount with process-group= and application-group=, or a WSGIImportScript; a plain mount is lazy', () => {
    const lazy = instanceWith((sites) => sites.mounts.push({ ...mount, processGroup: 'django' }));
    assert.equal(isPreloaded(lazy, 'django'), false);
    const mounted = instanceWith((sites) =>
      sites.mounts.push({ ...mount, processGroup: 'django', applicationGroup: '%{GLOBAL}' }),
    );
    assert.equal(isPreloaded(mounted, 'django'), true);
    const imported = instanceWith((sites) => {
      sites.mounts.push({ ...mount, processGroup: 'django' });
      sites.imports?.push({
        script: '/srv/app/warm.py',
        processGroup: 'django',
        applicationGroup: '%{GLOBAL}',
        vhost: null,
        file: 'a.conf',
        line: 2,
      });
    });
    assert.equal(isPreloaded(imported, 'django'), true);
    assert.equal(isPreloaded(imported, 'other'), false);
    // The pre-flight compiles (and with import, imports) the preloaded script too.
    assert.deepEqual(findGroupRoots(imported, 'django').scripts, ['/srv/app/app.wsgi', '/srv/app/warm.py']);
  });
});
