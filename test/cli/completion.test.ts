import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSandbox } from '../../src/sandbox/apache.js';
import type { Sandbox } from '../../src/sandbox/types.js';
import { apacheSkipReason, requireRoot } from '../helpers/apache.js';
import { NOBODY, runCli, worldReadableInstall } from '../helpers/cli.js';

const skip = apacheSkipReason();
const has = (shell: string) => spawnSync('sh', ['-c', `command -v ${shell}`]).status === 0;

describe('wsgictl completion: usage', () => {
  it('prints a script per shell; no shell or an unknown one is a usage error (exit 2)', async () => {
    const bash = await runCli(['completion', 'bash']);
    assert.equal(bash.code, 0, bash.stderr);
    assert.match(bash.stdout, /^complete -F _wsgictl wsgictl$/m);
    assert.match((await runCli(['completion', 'zsh'])).stdout, /^#compdef wsgictl$/m);
    assert.match((await runCli(['completion', 'fish'])).stdout, /^complete -c wsgictl -f$/m);
    const none = await runCli(['completion']);
    assert.deepEqual(
      [none.code, none.stderr],
      [2, 'wsgictl: no shell named: use wsgictl completion bash|zsh|fish\n'],
    );
    const csh = await runCli(['completion', 'csh']);
    assert.deepEqual(
      [csh.code, csh.stderr],
      [2, 'wsgictl: no completion for shell "csh": use wsgictl completion bash|zsh|fish\n'],
    );
  });
});

describe('completion in bash, fish and zsh, as an unprivileged user, against a real Apache', {
  skip,
  timeout: 180_000,
}, () => {
  let sandbox: Sandbox | undefined;
  let bin: string;
  before(async () => {
    requireRoot('running the shells as nobody');
    // Names of their own: another Apache on the machine (another test's) shows its groups too.
    sandbox = await startSandbox({ argv0: 'apache2', groups: [{ name: 'tabdjango' }, { name: 'tabflask' }] });
    // `wsgictl` on PATH as a user installs it: a wrapper around a world-readable copy of the built CLI.
    bin = mkdtempSync(join(tmpdir(), 'wsgictl-completion-bin-'));
    chmodSync(bin, 0o755);
    writeFileSync(
      join(bin, 'wsgictl'),
      `#!/bin/sh\nexec ${process.execPath} ${join(worldReadableInstall(), 'bin/wsgictl.js')} "$@"\n`,
      { mode: 0o755 },
    );
  });
  after(async () => {
    await sandbox?.stop();
    if (bin) rmSync(bin, { recursive: true, force: true });
  });

  /** Runs `shell ARGS` as nobody with the wrapper first on PATH. */
  const asNobody = (shell: string, args: string[]) =>
    spawnSync(shell, args, {
      encoding: 'utf8',
      timeout: 60_000,
      uid: NOBODY.uid,
      gid: NOBODY.gid,
      cwd: tmpdir(),
      env: { PATH: `${bin}:/usr/bin:/bin`, HOME: tmpdir(), NO_COLOR: '1', XDG_CONFIG_HOME: bin },
    });

  it('completion --list groups and instances: what nobody sees of the running Apache', async () => {
    const groups = asNobody(join(bin, 'wsgictl'), ['completion', '--list', 'groups']);
    assert.equal(groups.status, 0, groups.stderr);
    const names = groups.stdout.split('\n').filter(Boolean);
    assert.deepEqual(
      names.filter((name) => name.startsWith('tab')),
      ['tabdjango', 'tabflask'],
    );
    assert.deepEqual([...names].sort(), names, 'sorted, one per line');
    const instances = asNobody(join(bin, 'wsgictl'), ['completion', '--list', 'instances']);
    assert.ok(instances.stdout.split('\n').includes(String(sandbox?.pid)), instances.stdout);
  });

  it('bash: complete -p names the function; compgen-backed replies for commands, options, values, groups', () => {
    const script = [
      'source <(wsgictl completion bash)',
      'complete -p wsgictl',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's own ${...}, not JavaScript's
      'reply() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _wsgictl; echo "${COMPREPLY[*]}"; }',
      'reply wsgictl re',
      'reply wsgictl reload --ro',
      'reply wsgictl reload --signal ""',
      'reply wsgictl reload --timeout 3',
      'reply wsgictl reload tab',
      'reply wsgictl reload --signal TERM tabd',
      'reply wsgictl signal tabdjango ""',
      'reply wsgictl watch . --group tabf',
    ].join('\n');
    const result = asNobody('bash', ['-c', script]);
    assert.equal(result.stderr, '');
    assert.deepEqual(result.stdout.split('\n'), [
      'complete -F _wsgictl wsgictl',
      'reload',
      '--rolling',
      'INT TERM USR1',
      '30s',
      'tabdjango tabflask',
      'tabdjango',
      'HUP USR2',
      'tabflask',
      '',
    ]);
  });

  it('fish: complete -C gives commands, signal names and the running groups', (t) => {
    if (!has('fish')) return t.skip('fish is not installed (apt-get install fish)');
    const script = [
      'wsgictl completion fish | source',
      "complete -C 'wsgictl rel'",
      "complete -C 'wsgictl reload --signal '",
      "complete -C 'wsgictl signal tab'",
      "complete -C 'wsgictl signal tabdjango '",
    ].join('\n');
    const result = asNobody('fish', ['--no-config', '-c', script]);
    assert.equal(result.stderr, '');
    const words = result.stdout.split('\n').map((line) => line.split('\t')[0]);
    assert.deepEqual(words, ['reload', 'INT', 'TERM', 'USR1', 'tabdjango', 'tabflask', 'HUP', 'USR2', '']);
  });

  it('zsh: the script parses and compinit registers _wsgictl for wsgictl', (t) => {
    if (!has('zsh')) return t.skip('zsh is not installed (apt-get install zsh)');
    // Driving zsh's completion widget needs a terminal (zpty); this checks what loading it does.
    const script =
      'autoload -U compinit; compinit -u -D; source <(wsgictl completion zsh); print -r -- $_comps[wsgictl]';
    const result = asNobody('zsh', ['-f', '-c', script]);
    assert.deepEqual([result.status, result.stdout, result.stderr], [0, '_wsgictl\n', '']);
  });
});
