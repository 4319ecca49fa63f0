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

/** Whether an answer shows that the application ran: a 404 or 403 from it is still Python serving. */
export function isHealthy(status: number): boolean {
  return status >= 200 && status < 500;
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
  const report = (status: number | null, error?: string): HealthCheck => {
    const unexpected =
      status === null || !expecting ? null : judgeAnswer(status, Buffer.concat(chunks), expectation);
    const healthy = status !== null && (expectation.status === undefined ? isHealthy(status) : true);
    return {
      url: target.url,
      address: `${target.address.includes(':') ? `[${target.address}]` : target.address}:${target.port}`,
      status,
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
          resolve(report(res.statusCode ?? null));
        });
        res.on('error', () => {
          clearTimeout(timer);
          resolve(report(res.statusCode ?? null));
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
