import type { TestContext } from 'node:test';
import { startSandbox } from '../../src/sandbox/apache.js';
import { EXPRESS_HINT, findApache, SANDBOX_PACKAGES } from '../../src/sandbox/install.js';
import type { Sandbox, SandboxOptions } from '../../src/sandbox/types.js';

/**
 * The real-Apache tests skip where Apache + mod_wsgi is missing, unless WSGICTL_REQUIRE_APACHE=1 (as in
 * .ci/run), which turns the skip into a failure. They are Linux's suite (they read /proc, switch to nobody,
 * unshare namespaces): elsewhere they skip, saying so, and scripts/e2e.mjs runs a real Apache instead.
 */
export function apacheSkipReason(): string | false {
  if (process.platform !== 'linux') {
    return `the real-Apache suite runs on Linux; on ${process.platform} scripts/e2e.mjs drives a real Apache (CI's macOS job)`;
  }
  if (findApache()) return false;
  const reason = `Apache + mod_wsgi not installed (apt-get install ${SANDBOX_PACKAGES}, ${EXPRESS_HINT})`;
  if (process.env.WSGICTL_REQUIRE_APACHE === '1') throw new Error(`WSGICTL_REQUIRE_APACHE=1 but ${reason}`);
  return reason;
}

/**
 * For a test that cannot mean anything without root: it fails, naming what needs root, instead of passing
 * unseen (CI runs the suite as root).
 */
export function requireRoot(what: string): void {
  if (process.getuid?.() !== 0)
    throw new Error(`this test needs root for ${what}: run the tests as root (sudo npm test)`);
}

/** Starts a sandbox Apache that the test stops afterwards, pass or fail. */
export async function useSandbox(t: TestContext, options: SandboxOptions): Promise<Sandbox> {
  const sandbox = await startSandbox(options);
  t.after(() => sandbox.stop());
  t.diagnostic(`sandbox Apache pid ${sandbox.pid}: mod_wsgi ${sandbox.wsgiVersion ?? '(version unread)'}`);
  return sandbox;
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<Exclude<T, false | undefined>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value as Exclude<T, false | undefined>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
