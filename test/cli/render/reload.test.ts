import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Paint } from '../../../src/cli/color.js';
import { describeEnded, describeReplacedSet, quoteEvidence } from '../../../src/cli/render/reload.js';
import type { GroupReloadResult } from '../../../src/reload/types.js';

const same = (text: string) => text;
/** Shows where yellow was asked for. */
const MARK: Paint = {
  bold: same,
  dim: same,
  red: same,
  green: same,
  cyan: same,
  yellow: (t) => `<y>${t}</y>`,
};

function resultOf(overrides: Partial<GroupReloadResult>): GroupReloadResult {
  return {
    instance: 1,
    group: 'shop',
    signal: 'SIGINT',
    oldPids: [],
    newPids: [],
    ms: 100,
    outcome: 'replaced',
    skipped: [],
    missing: 0,
    members: [],
    ...overrides,
  } as GroupReloadResult;
}

describe('describeReplacedSet', () => {
  it('prints the unpaired old pids as one set, beside the new pids no pair took', () => {
    const result = resultOf({
      members: [
        { pid: 32559, state: 'replaced' },
        { pid: 32560, state: 'killed' },
        { pid: 32561, state: 'replaced', newPid: 4100 },
      ],
      newPids: [4100, 4146, 4154],
    });
    assert.deepEqual(describeReplacedSet(result), ['  replaced 32559, 32560 -> 4146, 4154']);
  });

  it('prints nothing when every replacement is paired, or none was replaced', () => {
    assert.deepEqual(
      describeReplacedSet(resultOf({ members: [{ pid: 1, state: 'replaced', newPid: 2 }] })),
      [],
    );
    assert.deepEqual(describeReplacedSet(resultOf({ members: [{ pid: 1, state: 'missing' }] })), []);
  });

  it('counts the replacements that came up and ended in order, and prints - when no new pid is left', () => {
    const members = [{ pid: 1, state: 'replaced' as const }];
    const churn = [{ pid: 9, kind: 'churn' as const, why: 'Maximum requests reached', line: '' }];
    assert.deepEqual(describeReplacedSet(resultOf({ members, newPids: [5], replacementsEnded: churn })), [
      '  replaced 1 -> 5, and 1 that came up and ended in order since',
    ]);
    assert.deepEqual(describeReplacedSet(resultOf({ members, replacementsEnded: churn })), [
      '  replaced 1 -> 1 that came up and ended in order since',
    ]);
    assert.deepEqual(describeReplacedSet(resultOf({ members })), ['  replaced 1 -> -']);
  });
});

describe('describeEnded', () => {
  it('says churn plainly (distinct reasons once), and a crash and an unknown end in yellow', () => {
    const result = resultOf({
      replacementsEnded: [
        { pid: 1, kind: 'churn', why: 'Maximum requests reached', line: 'a' },
        { pid: 2, kind: 'churn', why: 'Maximum requests reached', line: 'b' },
        { pid: 3, kind: 'churn', why: 'ended normally (exit code 0)', line: 'c' },
        {
          pid: 4,
          kind: 'crash',
          why: 'killed by signal 11, a fault of its own',
          line: 'AH00052: child pid 4 exit signal Segmentation fault (11)',
        },
        { pid: 5, kind: 'unknown' },
      ],
    });
    assert.deepEqual(describeEnded(result, MARK), [
      '  3 replacements ended during the wait in an orderly way (Maximum requests reached, ended normally (exit code 0)); mod_wsgi started others: churn, not a crash',
      '<y>  1 replacement ended abnormally during the wait: killed by signal 11, a fault of its own: AH00052: child pid 4 exit signal Segmentation fault (11)</y>',
      '<y>  1 replacement ended during the wait; the error log does not say why (at LogLevel warn an orderly end leaves no line: set LogLevel info to see it)</y>',
    ]);
  });

  it('says nothing for a crash loop (it has its own report) or when none ended', () => {
    const ended = [{ pid: 5, kind: 'unknown' as const }];
    assert.deepEqual(describeEnded(resultOf({ outcome: 'crash-loop', replacementsEnded: ended }), MARK), []);
    assert.deepEqual(describeEnded(resultOf({}), MARK), []);
  });
});

describe('quoteEvidence', () => {
  it("quotes the first non-empty evidence line's message, fields cut", () => {
    const evidence = [
      '',
      '[Mon Nov 23 2026] [core:notice] [pid 10:tid 10] AH00052: child pid 12 exit signal Segmentation fault (11)',
    ];
    assert.equal(
      quoteEvidence(resultOf({ crashLoop: { restarts: 2, pids: [12], evidence } })),
      ': the log says "AH00052: child pid 12 exit signal Segmentation fault (11)"',
    );
    assert.equal(quoteEvidence(resultOf({ crashLoop: { restarts: 2, pids: [12] } })), '');
  });
});
