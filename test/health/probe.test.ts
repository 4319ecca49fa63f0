import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { probeTarget } from '../../src/health/probe.js';

let server: Server;
let port: number;
const hosts: string[] = [];

before(async () => {
  server = createServer((req, res) => {
    hosts.push(req.headers.host ?? '');
    if (req.url === '/slow') return; // never answers
    if (req.url === '/rejected') {
      // What mod_wsgi 4.x/5.x's daemon answers while it restarts, meant for Apache, which may pass it on.
      res.writeHead(200, 'Rejected');
      res.end('x');
      return;
    }
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

  it('keeps the reason phrase; "200 Rejected" is mod_wsgi restarting, not the app answering', async () => {
    const bad = await probeTarget(target('/502'), 2000);
    assert.deepEqual([bad.status, bad.reason, bad.ok], [502, 'Bad Gateway', false]);
    const rejected = await probeTarget(target('/rejected'), 2000);
    assert.deepEqual([rejected.status, rejected.reason, rejected.ok], [200, 'Rejected', false]);
    const fine = await probeTarget(target('/200'), 2000);
    assert.deepEqual([fine.status, fine.reason, fine.ok], [200, 'OK', true]);
  });

  it('a reason phrase with control characters or no end is cleaned and cut', async () => {
    const raw = createNetServer((socket) => {
      socket.once('data', () =>
        socket.end(
          `HTTP/1.1 500 Bad\x1b[31m${'x'.repeat(200)}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
        ),
      );
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const rawPort = (raw.address() as AddressInfo).port;
      const result = await probeTarget({ ...target('/'), port: rawPort }, 2000);
      assert.equal(result.status, 500);
      assert.ok(result.reason === undefined || /^[\x20-\x7e]{1,64}$/.test(result.reason), result.reason);
      assert.ok(result.reason?.startsWith('Bad') ?? true);
    } finally {
      raw.close();
    }
  });
});
