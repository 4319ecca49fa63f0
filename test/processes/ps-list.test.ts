import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PLAIN } from '../../src/cli/color.js';
import { renderPs } from '../../src/cli/render/ps.js';
import { discoverInstances } from '../../src/groups/discover.js';
import { toPsRecords } from '../../src/groups/records.js';
import { createPsListSource, shortName } from '../../src/processes/ps-list.js';
import { fastlistDescriptors, fixture } from '../windows/fakes.js';

const NOT_US = { self: 999_999 };

describe('ps-list source on Windows (fastlist: pid, ppid, name only)', () => {
  it('takes the short name of an executable path as comm', () => {
    assert.equal(shortName('C:\\Apache24\\bin\\httpd.exe'), 'httpd.exe');
  });

  it('finds the httpd.exe whose parent is not httpd.exe, with its child, and shows its service', async () => {
    const source = createPsListSource(async () =>
      fastlistDescriptors(fixture('fastlist-service-apache.txt')),
    );
    const [instance, ...others] = await discoverInstances(source, NOT_US);
    assert.equal(others.length, 0);
    assert.equal(instance?.parent.pid, 4420);
    assert.deepEqual(instance?.parent.argv, ['httpd.exe']);
    assert.deepEqual(
      instance?.children.map((member) => [member.process.pid, member.role]),
      [[4588, 'worker']],
    );
    const text = renderPs(instance ? [instance] : [], {
      groups: [],
      workers: false,
      now: Date.now(),
      color: PLAIN,
      services: new Map([[4420, 'Apache2.4']]),
    });
    assert.match(text.split('\n')[0] ?? '', /^httpd\.exe pid 4420 {2}service Apache2\.4 {2}/);
    const records = toPsRecords(instance ? [instance] : [], [], new Map([[4420, 'Apache2.4']]));
    assert.deepEqual(
      records.map((record) => [record.pid, record.role, record.service]),
      [
        [4420, 'parent', 'Apache2.4'],
        [4588, 'worker', 'Apache2.4'],
      ],
    );
  });
});
