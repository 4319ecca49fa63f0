import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apacheLayout } from '../src/apache/config/model.js';
import { createPlatform } from '../src/platform.js';

describe('createPlatform', () => {
  it("defaults to this machine's platform", () => {
    assert.equal(createPlatform().name, process.platform);
  });

  it('on Linux reads /proc, reloads by signal and has no services', async () => {
    const platform = createPlatform('linux');
    assert.equal(platform.name, 'linux');
    assert.equal(platform.source.platform, 'linux');
    assert.equal(platform.reloader.platform, 'unix');
    assert.equal(await platform.services(), undefined);
  });

  it('on macOS reads ps and lsof, and reloads by signal', () => {
    const platform = createPlatform('darwin');
    assert.equal(platform.source.platform, 'macos');
    assert.equal(platform.reloader.platform, 'unix');
  });

  it('on Windows reads ps-list and restarts the whole Apache', () => {
    const platform = createPlatform('win32');
    assert.equal(platform.name, 'win32');
    assert.equal(platform.source.platform, 'ps-list');
    assert.equal(platform.reloader.platform, 'windows');
    assert.equal(typeof platform.services, 'function');
  });

  it('treats any other Unix like the ps-list source with the signal reload', () => {
    const platform = createPlatform('freebsd');
    assert.equal(platform.source.platform, 'ps-list');
    assert.equal(platform.reloader.platform, 'unix');
  });

  it("carries the platform's Apache layout and the shell of watch --exec", () => {
    for (const name of ['linux', 'darwin', 'win32'] as const) {
      assert.equal(createPlatform(name).layout, apacheLayout(name), name);
    }
    // The layout read from a source (groups/instance.ts, by its os) is the Platform's, on ps-list too.
    for (const name of ['linux', 'darwin', 'win32', 'freebsd'] as const) {
      const platform = createPlatform(name);
      assert.equal(platform.source.os, name, name);
      assert.equal(apacheLayout(platform.source.os ?? 'aix'), platform.layout, name);
    }
    assert.equal(createPlatform('linux').shell.command('true', {}).file, '/bin/sh');
    assert.equal(createPlatform('linux').shell.processGroup, true);
    assert.equal(createPlatform('win32').shell.command('ver', {}).file, 'cmd.exe');
    assert.equal(createPlatform('win32').shell.processGroup, false);
  });
});
