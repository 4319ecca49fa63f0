import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createDirFilter, createFilter } from '../../src/watch/filter.js';
import { diffSnapshots, scanTree, startPolling } from '../../src/watch/poll.js';
import { waitFor } from '../helpers/apache.js';

function tree(t: { after: (fn: () => void) => void }): string {
  const root = mkdtempSync(join(tmpdir(), 'wsgictl-poll-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'app/__pycache__'), { recursive: true });
  writeFileSync(join(root, 'app/views.py'), 'x = 1\n');
  writeFileSync(join(root, 'app/logo.png'), 'png');
  writeFileSync(join(root, 'app/__pycache__/views.cpython-311.pyc'), 'pyc');
  return root;
}

function filters(root: string) {
  const options = { roots: [root], readGitignore: () => undefined };
  return { filter: createFilter(options), dirFilter: createDirFilter(options) };
}

describe('diffSnapshots', () => {
  it('lists added, changed and removed paths', () => {
    const before = new Map([
      ['/a.py', '1:10'],
      ['/b.py', '1:10'],
      ['/c.py', '1:10'],
    ]);
    const after = new Map([
      ['/a.py', '1:10'],
      ['/b.py', '2:11'],
      ['/d.py', '1:12'],
    ]);
    assert.deepEqual(diffSnapshots(before, after).sort(), ['/b.py', '/c.py', '/d.py']);
  });
});

describe('scanTree', () => {
  it('stats only the files that pass the filter', async (t) => {
    const root = tree(t);
    const { filter, dirFilter } = filters(root);
    const snapshot = await scanTree([root], filter, dirFilter);
    assert.deepEqual([...snapshot.keys()], [join(root, 'app/views.py')]);
  });
});

describe('startPolling', () => {
  it('reports a changed mtime and a new file, and nothing for ignored ones', async (t) => {
    const root = tree(t);
    const changes: string[][] = [];
    const poller = await startPolling({
      roots: [root],
      ...filters(root),
      intervalMs: 30,
      onChanges: (paths) => changes.push(paths),
      onError: (error) => assert.fail(error),
    });
    t.after(() => poller.close());
    writeFileSync(join(root, 'app/logo.png'), 'png2');
    writeFileSync(join(root, 'app/__pycache__/views.cpython-311.pyc'), 'pyc2');
    const later = new Date(Date.now() + 5000);
    utimesSync(join(root, 'app/views.py'), later, later); // same size, new mtime
    writeFileSync(join(root, 'app/urls.py'), 'urlpatterns = []\n');
    await waitFor('two changes', () => changes.flat().length >= 2, 5000);
    assert.deepEqual(changes.flat().sort(), [join(root, 'app/urls.py'), join(root, 'app/views.py')]);
  });
});
