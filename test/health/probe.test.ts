import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { probeTarget } from '../../src/health/probe.js';

let server: Server;
let port: number;
const hosts: string[] = [];

before(async () => {
  server = createServer((req, res) => {
    hosts.push(req.headers.host ?? '');
    if (req.url === '/slow') return; // never answers
    const status = Number(req.url?.slice(1)) || 200;
    res.writeHead(status, status === 302 ? { Location: 'http://203.0.113.1/' } : {});
    res.end('x');
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
    url: `http://app.test:${port}${path}`,
    address: '127.0.0.1',
    port,
    host: `app.test:${port}`,
    path,
    tls: false,
  };
}

describe('probeTarget (a server on loopback)', () => {
  it('sends the Host header; 2xx, 3xx (not followed), 401, 403 and 404 are answers from the app', async () => {
    for (const status of [200, 302, 401, 403, 404]) {
      const result = await probeTarget(target(`/${status}`), 2000);
      assert.deepEqual([result.status, result.ok], [status, true]);
    }
    assert.ok(hosts.every((host) => host === `app.test:${port}`));
    assert.equal(hosts.length, 5, 'the redirect was not followed');
  });

  it('5xx, a timeout and a refused connection fail, with the reason', async () => {
    assert.deepEqual(
      [(await probeTarget(target('/500'), 2000)).ok, (await probeTarget(target('/503'), 2000)).status],
      [false, 503],
    );
    const slow = await probeTarget(target('/slow'), 200);
    assert.deepEqual([slow.status, slow.ok, slow.error], [null, false, 'no answer within 0.2s']);
    const closed = await probeTarget({ ...target('/'), port: 1 }, 2000);
    assert.deepEqual([closed.ok, closed.error], [false, 'connection refused']);
  });
});
