import { createServer } from 'node:net';
import { WsgictlError } from '../errors.js';

/**
 * Fails with one line when `port` on 127.0.0.1 cannot be bound, before Apache tries: Apache's own failure
 * (`AH00072: make_sock: could not bind`) only shows in its error log, after a wait for readiness.
 */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        const message = `port ${port} on 127.0.0.1 is already in use: choose another port, or leave --port out to get a free one`;
        reject(new WsgictlError('FAILED', message, { cause: error }));
      } else if (error.code === 'EACCES') {
        const message = `may not listen on port ${port} (EACCES): ports below 1024 need root; choose a port above 1023`;
        reject(new WsgictlError('PERMISSION', message, { cause: error }));
      } else reject(error);
    });
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}
