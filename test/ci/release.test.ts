// What the release workflow must do beyond passing actionlint (test/ci/workflow.test.ts lints it): build
// with the same `npm run dist` as a developer, check what it built, and attach it with checksums.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { REPO } from '../helpers/cli.js';

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
const workflow = parse(readFileSync(join(REPO, '.github/workflows/release.yml'), 'utf8')) as {
  on: { push: { tags: string[] } };
  jobs: Record<string, { steps: Step[]; permissions?: Record<string, string> }>;
};
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const runs = steps.map((step) => step.run ?? '').join('\n');

describe('release.yml', () => {
  it('runs on version tags, builds with npm run dist, and checks what it built', () => {
    assert.deepEqual(workflow.on.push.tags, ['v*']);
    assert.match(runs, /^npm ci\b/m);
    assert.match(runs, /^npm run dist$/m);
    assert.match(runs, /wsgictl-linux-x64 --version/);
    assert.match(runs, /qemu-aarch64-static .*wsgictl-linux-arm64 --version/);
    assert.match(runs, /lintian --fail-on warning .*_amd64\.deb .*_arm64\.deb/);
  });

  it('attaches every artifact and a SHA256SUMS of them, only for a tag', () => {
    for (const file of ['wsgictl-linux-x64', 'wsgictl-linux-arm64', 'wsgictl-win-x64.exe', 'wsgictl_*.deb']) {
      assert.ok(runs.includes(file), file);
    }
    assert.match(runs, /sha256sum -- \* > SHA256SUMS/);
    const attach = steps.find((step) => step.run?.startsWith('gh release create'));
    assert.equal(attach?.if, "startsWith(github.ref, 'refs/tags/')");
    assert.deepEqual(workflow.jobs.release?.permissions, { contents: 'write' });
  });
});
