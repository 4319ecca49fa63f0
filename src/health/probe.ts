import { isIP } from 'node:net';
import type { CheckTarget } from './targets.js';
import type { HealthCheck } from './types.js';

/** The body read at most, with --expect: a page that holds the text further down does not count. */
export const EXPECT_BODY_MAX_BYTES = 1 << 20;

/** `--expect TEXT` and `--expect-status CODE`: what an answer must show beyond "the app ran". */
export interface Expectation {
  text?: string;
  status?: number;
}

/** What an answer lacks of `expectation`, or null when it has it all. */
export function judgeAnswer(status: number, body: Buffer, expectation: Expectation): string | null {
  if (expectation.status !== undefined && status !== expectation.status)
    return `status ${status}, not ${expectation.status}`;
  if (expectation.text !== undefined && !body.includes(Buffer.from(expectation.text, 'utf8'))) {
    const within = body.length >= EXPECT_BODY_MAX_BYTES ? ` in its first ${EXPECT_BODY_MAX_BYTES} bytes` : '';
    return `the body does not contain "${expectation.text}"${within}`;
  }
  return null;
}

/**
 * Whether an answer shows that the application ran: a 404 or 403 from it is still Python serving. mod_wsgi
 * 4.x and 5.x answer a request that reached a daemon about to restart with the status line `200 Rejected`
 * (meant for Apache, which retries; upstream's 6.0.0 notes: it can reach the client in a restart loop): no
 * app ran, so it is no answer from the app.
 */
export function isHealthy(status: number, reason?: string): boolean {
  return status >= 200 && status < 500 && !(status === 200 && reason === 'Rejected');
}

/** The reason phrase, kept only as printable ASCII and bounded: it is the server's text, shown to the user. */
function readReason(message: string | undefined): string | undefined {
  const clean = (message ?? '')
    .replace(/[^\x20-\x7e]/g, '')
    .trim()
    .slice(0, 64);
  return clean === '' ? undefined : clean;
}

function describeFailure(error: NodeJS.ErrnoException, timeoutMs: number, timedOut: boolean): string {
  if (timedOut) return `no answer within ${timeoutMs / 1000}s`;
  if (error.code === 'ECONNREFUSED') return 'connection refused';
  if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return 'connection reset';
  return error.code ?? error.message;
}

/**
 * One GET to the instance's own address with the virtual host's name as Host. Redirects are never followed
 * (a 3xx is an answer); TLS certificates are not judged, since the point is whether Python answers behind
 * this very Apache, not whether a browser would trust it.
 */
export async function probeTarget(
  target: CheckTarget,
  timeoutMs: number,
  expectation: Expectation = {},
): Promise<HealthCheck> {
  const { request } = target.tls ? await import('node:https') : await import('node:http');
  const name = target.host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const started = performance.now();
  const expecting = expectation.text !== undefined || expectation.status !== undefined;
  const chunks: Buffer[] = [];
  let kept = 0;
  const report = (status: number | null, error?: string, reason?: string): HealthCheck => {
    const unexpected =
      status === null || !expecting ? null : judgeAnswer(status, Buffer.concat(chunks), expectation);
    // With --expect-status the status asked for decides; a `200 Rejected` is never the app.
    const healthy =
      status !== null &&
      (expectation.status === undefined
        ? isHealthy(status, reason)
        : !(status === 200 && reason === 'Rejected'));
    return {
      url: target.url,
      address: `${target.address.includes(':') ? `[${target.address}]` : target.address}:${target.port}`,
      status,
      ...(reason === undefined ? {} : { reason }),
      ok: healthy && unexpected === null,
      ms: Math.round(performance.now() - started),
      ...(unexpected === null ? {} : { unexpected }),
      ...(error === undefined ? {} : { error }),
    };
  };
  return new Promise((resolve) => {
    let timedOut = false;
    const req = request(
      {
        host: target.address,
        port: target.port,
        path: target.path,
        method: 'GET',
        headers: { Host: target.host, 'User-Agent': 'wsgictl-check', Connection: 'close' },
        agent: false,
        // SNI carries a name only, never an address.
        ...(target.tls ? { rejectUnauthorized: false, servername: isIP(name) ? '' : name } : {}),
      },
      (res) => {
        // Only with --expect is the body kept, and only its first EXPECT_BODY_MAX_BYTES.
        res.on('data', (chunk: Buffer) => {
          if (!expecting || kept >= EXPECT_BODY_MAX_BYTES) return;
          const part = chunk.subarray(0, EXPECT_BODY_MAX_BYTES - kept);
          chunks.push(part);
          kept += part.length;
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve(report(res.statusCode ?? null, undefined, readReason(res.statusMessage)));
        });
        res.on('error', () => {
          clearTimeout(timer);
          resolve(report(res.statusCode ?? null, undefined, readReason(res.statusMessage)));
        });
      },
    );
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Error('timeout'));
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(report(null, describeFailure(error, timeoutMs, timedOut)));
    });
    req.end();
  });
}
