import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { describe, it } from 'node:test';
import { assertPortFree } from '../../src/sandbox/port.js';

function listenOnLoopback(): Promise<{ port: number; close: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    );
  });
}

describe('assertPortFree', () => {
  it('resolves for a free loopback port, and leaves it free', async () => {
    const taken = await listenOnLoopback();
    await taken.close(); // a port the kernel just gave out, now free
    await assertPortFree(taken.port);
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(taken.port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => again.close(resolve));
  });

  it('fails with one line saying what to do when the port is in use', async () => {
    const taken = await listenOnLoopback();
    try {
      await assert.rejects(assertPortFree(taken.port), {
        code: 'FAILED',
        exitCode: 1,
        message: `port ${taken.port} on 127.0.0.1 is already in use: choose another port, or leave --port out to get a free one`,
      });
    } finally {
      await taken.close();
    }
  });

  it('fails with exit 4 for a port below 1024 when not root', {
    skip: userInfo().uid === 0 && 'runs as root, who may bind any port',
  }, async () => {
    await assert.rejects(assertPortFree(80), { code: 'PERMISSION', exitCode: 4 });
  });
});
