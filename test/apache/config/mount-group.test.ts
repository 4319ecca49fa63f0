import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveMountGroup } from '../../../src/apache/config/mount-group.js';
import { loadApacheConfig } from '../../../src/apache/config/reader.js';
import type { Sites } from '../../../src/apache/config/sites.js';
import { memoryFiles } from '../../../src/files/view.js';
import { commandLine } from '../../helpers/apache-config.js';

/** The sites of `/srv/httpd.conf` holding `conf`, read as Apache reads it. */
function sitesOf(conf: string): Sites {
  const config = loadApacheConfig(
    commandLine(),
    {},
    { modules: null, version: null },
    memoryFiles({ '/srv/httpd.conf': conf, '/srv/app/shop.wsgi': '', '/srv/app/api/api.wsgi': '' }),
  );
  assert.ok(config.sites, 'the configuration has sites');
  return config.sites;
}

/** The group serving each mount, in the order the mounts are written. */
function groupsOf(conf: string): (string | null)[] {
  const sites = sitesOf(conf);
  return sites.mounts.map((mount) => resolveMountGroup(sites, mount));
}

describe('resolveMountGroup', () => {
  it("takes the mount's own process-group=, %{GLOBAL} meaning embedded mode", () => {
    assert.deepEqual(
      groupsOf(
        [
          'WSGIProcessGroup other',
          'WSGIScriptAlias /shop /srv/app/shop.wsgi process-group=shop',
          'WSGIScriptAlias /embedded /srv/app/shop.wsgi process-group=%{GLOBAL}',
        ].join('\n'),
      ),
      ['shop', ''],
    );
  });

  it("without any WSGIProcessGroup a mount runs embedded (''); WSGIProcessGroup %{GLOBAL} too", () => {
    assert.deepEqual(groupsOf('WSGIScriptAlias /shop /srv/app/shop.wsgi'), ['']);
    assert.deepEqual(groupsOf('WSGIProcessGroup %{GLOBAL}\nWSGIScriptAlias /shop /srv/app/shop.wsgi'), ['']);
  });

  it("a server-level WSGIProcessGroup serves every mount; a virtual host's overrides it for its own", () => {
    const conf = [
      'WSGIProcessGroup main',
      'WSGIScriptAlias /shop /srv/app/shop.wsgi',
      '<VirtualHost *:80>',
      '  WSGIProcessGroup vhost',
      '  WSGIScriptAlias /api /srv/app/api/api.wsgi',
      '</VirtualHost>',
      '<VirtualHost *:81>',
      '  WSGIScriptAlias /api /srv/app/api/api.wsgi',
      '</VirtualHost>',
    ].join('\n');
    assert.deepEqual(groupsOf(conf), ['main', 'vhost', 'main']);
  });

  it("<Location> covers the mount's URL and its subpaths, not another URL", () => {
    const conf = [
      '<Location /api>',
      '  WSGIProcessGroup api',
      '</Location>',
      'WSGIScriptAlias /api /srv/app/api/api.wsgi',
      'WSGIScriptAlias /shop /srv/app/shop.wsgi',
    ].join('\n');
    assert.deepEqual(groupsOf(conf), ['api', '']);
  });

  // Checked on this machine's httpd 2.4 with mod_headers: <Location /sh> is not applied to /shop/index.html.
  it('<Location /sh> does not cover a mount at /shop (httpd matches whole path segments)', () => {
    const conf = [
      '<Location /sh>',
      '  WSGIProcessGroup sh',
      '</Location>',
      'WSGIScriptAlias /shop /srv/app/shop.wsgi',
    ];
    assert.deepEqual(groupsOf(conf.join('\n')), ['']);
  });

  it('<LocationMatch> tests its expression against the URL', () => {
    const conf = [
      '<LocationMatch "^/(api|v2)$">',
      '  WSGIProcessGroup api',
      '</LocationMatch>',
      'WSGIScriptAlias /api /srv/app/api/api.wsgi',
      'WSGIScriptAlias /shop /srv/app/shop.wsgi',
    ].join('\n');
    assert.deepEqual(groupsOf(conf), ['api', '']);
  });

  it("<Directory> and <DirectoryMatch> cover the script's folder (wildcards within one component)", () => {
    const conf = [
      '<Directory /srv/*/api>',
      '  WSGIProcessGroup api',
      '</Directory>',
      '<DirectoryMatch "^/srv/app$">',
      '  WSGIProcessGroup shop',
      '</DirectoryMatch>',
      'WSGIScriptAlias /api /srv/app/api/api.wsgi',
      'WSGIScriptAlias /shop /srv/app/shop.wsgi',
    ].join('\n');
    assert.deepEqual(groupsOf(conf), ['api', 'shop']);
  });

  it('merges as Apache: server, vhost, shorter <Directory> before longer, <DirectoryMatch>, then <Location>', () => {
    const base = [
      '<Directory /srv/app/api>',
      '  WSGIProcessGroup deep',
      '</Directory>',
      '<Directory /srv>',
      '  WSGIProcessGroup shallow',
      '</Directory>',
      'WSGIProcessGroup server',
      'WSGIScriptAlias /api /srv/app/api/api.wsgi',
    ];
    // Written first, the deeper <Directory> still merges last of the two.
    assert.deepEqual(groupsOf(base.join('\n')), ['deep']);
    const withMatch = ['<DirectoryMatch "^/srv">', '  WSGIProcessGroup match', '</DirectoryMatch>', ...base];
    assert.deepEqual(groupsOf(withMatch.join('\n')), ['match']);
    const withLocation = ['<Location /api>', '  WSGIProcessGroup location', '</Location>', ...withMatch];
    assert.deepEqual(groupsOf(withLocation.join('\n')), ['location']);
  });

  it('between two <Location> sections, the one written last wins', () => {
    const conf = [
      '<Location /api>',
      '  WSGIProcessGroup first',
      '</Location>',
      '<LocationMatch "^/api">',
      '  WSGIProcessGroup second',
      '</LocationMatch>',
      'WSGIScriptAlias /api /srv/app/api/api.wsgi',
    ].join('\n');
    assert.deepEqual(groupsOf(conf), ['second']);
  });

  it("cannot tell (null) when a section's expression runs too long; an invalid one covers nothing", () => {
    const slow = ['<LocationMatch "(a+)+$">', '  WSGIProcessGroup slow', '</LocationMatch>'];
    const sites = sitesOf([...slow, 'WSGIScriptAlias /api /srv/app/api/api.wsgi'].join('\n'));
    const [mount] = sites.mounts;
    assert.ok(mount);
    assert.equal(resolveMountGroup(sites, { ...mount, url: `/${'a'.repeat(30)}!` }), null);
    const invalid = ['<LocationMatch "(unclosed">', '  WSGIProcessGroup bad', '</LocationMatch>'];
    assert.deepEqual(groupsOf([...invalid, 'WSGIScriptAlias /api /srv/app/api/api.wsgi'].join('\n')), ['']);
  });
});
