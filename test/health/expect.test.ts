import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { EXPECT_BODY_MAX_BYTES, judgeAnswer, probeTarget } from '../../src/health/probe.js';

let server: Server;
let port: number;

before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/big') {
      res.writeHead(200);
      res.end(`${'x'.repeat(EXPECT_BODY_MAX_BYTES)}release v2.3`);
      return;
    }
    res.writeHead(req.url === '/created' ? 201 : 200);
    res.end('shop release v2.3\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

function target(path: string) {
  return {
    url: `http://127.0.0.1:${port}${path}`,
    address: '127.0.0.1',
    port,
    host: `127.0.0.1:${port}`,
    path,
    tls: false,
  };
}

describe('probeTarget with --expect / --expect-status', () => {
  it('is ok when the body holds the text, and says what is missing when it does not', async () => {
    const live = await probeTarget(target('/'), 5000, { text: 'release v2.3' });
    assert.deepEqual([live.ok, live.unexpected], [true, undefined]);
    const stale = await probeTarget(target('/'), 5000, { text: 'release v2.4' });
    assert.deepEqual(
      [stale.status, stale.ok, stale.unexpected],
      [200, false, 'the body does not contain "release v2.4"'],
    );
  });

  it('reads no more than its bound of the body', async () => {
    const far = await probeTarget(target('/big'), 5000, { text: 'release v2.3' });
    assert.equal(far.ok, false);
    assert.match(far.unexpected ?? '', /in its first 1048576 bytes/);
  });

  it('--expect-status asks for exactly that status', async () => {
    const created = await probeTarget(target('/created'), 5000, { status: 201 });
    assert.equal(created.ok, true);
    const plain = await probeTarget(target('/'), 5000, { status: 201 });
    assert.deepEqual([plain.ok, plain.unexpected], [false, 'status 200, not 201']);
    // Without an expectation any status below 500 is the app answering, as before.
    assert.equal((await probeTarget(target('/created'), 5000)).ok, true);
  });

  it('judges status before text', () => {
    assert.equal(judgeAnswer(503, Buffer.from('v2'), { status: 200, text: 'v2' }), 'status 503, not 200');
    assert.equal(judgeAnswer(200, Buffer.from('v2'), { status: 200, text: 'v2' }), null);
  });
});
