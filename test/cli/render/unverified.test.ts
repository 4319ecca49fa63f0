import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Paint } from '../../../src/cli/color.js';
import { renderUnverifiedDaemons } from '../../../src/cli/render/unverified.js';
import type { ApacheInstance } from '../../../src/groups/instance.js';

const same = (text: string) => text;
const MARK: Paint = {
  bold: same,
  dim: (t) => `<d>${t}</d>`,
  red: same,
  green: same,
  cyan: same,
  yellow: (t) => `<y>${t}</y>`,
};
const NOW = Date.UTC(2026, 11, 2, 16, 0, 0);

function daemon(pid: number, socketIds: number[] | null, argv0: string) {
  return {
    role: 'daemon',
    group: 'shop',
    socketIds,
    process: {
      pid,
      user: 'www-data',
      startedAt: new Date(NOW - 90_000),
      rssBytes: 50 * 1024 * 1024,
      argv: [argv0],
    },
  };
}

function instanceOf(children: unknown[]): ApacheInstance {
  return {
    config: { groups: [{ name: 'shop' }, { name: 'api' }] },
    children: [{ role: 'worker', process: { pid: 3 } }, ...children],
    context: {
      listeners: new Map([
        ['11', { inode: '11', path: '/run/wsgi.1.0.2.sock', pid: 1, generation: 0, id: 2 }],
      ]),
    },
    doubts: ['the configuration changed since Apache read it'],
  } as unknown as ApacheInstance;
}

describe('renderUnverifiedDaemons', () => {
  it('lists the groups as read now, and no daemon line when there is none', () => {
    assert.deepEqual(renderUnverifiedDaemons(instanceOf([]), NOW, MARK), [
      '  <y>groups in the configuration as it reads now: shop and api; which process belongs to which is not shown while it is unverified</y>',
    ]);
  });

  it("shows each daemon's socket and display-name as seen, under no group label", () => {
    const lines = renderUnverifiedDaemons(
      instanceOf([daemon(41, [2], '(wsgi:shop)  '), daemon(42, null, '(wsgi:ap')]),
      NOW,
      MARK,
    );
    assert.equal(lines.length, 4);
    assert.match(
      lines[1] ?? '',
      /^<d> {4}PID +USER +UPTIME +RSS +LISTENER SOCKET +DISPLAY-NAME \(AS SEEN\)<\/d>$/,
    );
    assert.deepEqual(lines[2]?.trim().split(/\s{2,}/), [
      '41',
      'www-data',
      '1m30s',
      '50M',
      'id 2 -> /run/wsgi.1.0.2.sock',
      '(wsgi:shop)',
    ]);
    assert.deepEqual(lines[3]?.trim().split(/\s{2,}/), [
      '42',
      'www-data',
      '1m30s',
      '50M',
      'not read',
      '(wsgi:ap',
    ]);
    assert.ok(lines.slice(2).every((line) => !/\bgroup\b/.test(line)));
  });

  it('says none when the configuration holds no group', () => {
    const instance = { ...instanceOf([]), config: { groups: [] } } as unknown as ApacheInstance;
    assert.match(renderUnverifiedDaemons(instance, NOW, MARK)[0] ?? '', /reads now: none;/);
  });
});
