import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { httpGet } from '../src/http.js';

describe('httpGet (against a real loopback server)', () => {
  let server: Server;
  let base: string;
  const seen: IncomingMessage[] = [];

  before(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      if (req.url === '/slow') return; // never answers: the client's timeout must end it
      if (req.url === '/chunks') {
        res.writeHead(201, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.write('héllo ');
        setTimeout(() => res.end('wörld'), 20);
        return;
      }
      res.writeHead(req.url === '/missing' ? 404 : 200);
      res.end(`path ${req.url}`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('resolves with the status and the whole body, as UTF-8, also when sent in chunks', async () => {
    assert.deepEqual(await httpGet(`${base}/health?x=1`), { status: 200, body: 'path /health?x=1' });
    assert.deepEqual(await httpGet(`${base}/chunks`), { status: 201, body: 'héllo wörld' });
  });

  it('resolves (does not reject) on an error status', async () => {
    assert.deepEqual(await httpGet(`${base}/missing`), { status: 404, body: 'path /missing' });
  });

  it('sends a GET without keep-alive', async () => {
    seen.length = 0;
    await httpGet(`${base}/one`);
    assert.equal(seen[0]?.method, 'GET');
    assert.equal(seen[0]?.headers.connection, 'close');
  });

  it('rejects with the URL and the limit when the answer takes longer than the timeout', async () => {
    const started = Date.now();
    await assert.rejects(httpGet(`${base}/slow`, 150), {
      message: `GET ${base}/slow timed out after 150 ms`,
    });
    assert.ok(Date.now() - started < 2000);
  });

  it('rejects when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(httpGet(`http://127.0.0.1:${port}/`), { code: 'ECONNREFUSED' });
  });
});
