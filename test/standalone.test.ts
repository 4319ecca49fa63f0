import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currentRuntime, versionText } from '../src/standalone.js';

describe('versionText', () => {
  it('is the bare version under Node, as scripts have always read it', () => {
    const runtime = { node: '20.20.2', platform: 'linux' as const, arch: 'x64', standalone: false };
    assert.equal(versionText('0.2.0', runtime), '0.2.0');
  });

  it('names the Node and the platform inside a standalone executable', () => {
    assert.equal(
      versionText('0.2.0', { node: '22.23.3', platform: 'linux', arch: 'arm64', standalone: true }),
      'wsgictl 0.2.0 (standalone, node 22.23.3, linux-arm64)',
    );
    assert.equal(
      versionText('0.2.0', { node: '22.23.3', platform: 'win32', arch: 'x64', standalone: true }),
      'wsgictl 0.2.0 (standalone, node 22.23.3, win-x64)',
    );
  });
});

describe('currentRuntime', () => {
  it('is not standalone when node runs the tests', () => {
    assert.deepEqual(currentRuntime(), {
      node: process.versions.node,
      platform: process.platform,
      arch: process.arch,
      standalone: false,
    });
  });
});
