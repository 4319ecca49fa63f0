import { EXIT } from '../errors.js';
import { VERSION } from '../version.js';
import { ENVELOPE_FLAG, type Envelope, findEnvelope } from './envelope.js';
import type { SshOutput } from './ssh.js';

/**
 * Why a host failed. `unreachable`, `refused`, `auth`, `host-key`, `ssh`: ssh itself (exit 255);
 * `not-installed`: the remote command does not exist there (exit 127/126); `sudo`: sudo wants a password;
 * `too-old`: the host's wsgictl lacks an option this run needs; `too-large`: the host printed more than
 * wsgictl ever answers (collecting stopped, ssh ended); `remote`: wsgictl ran there and failed (its own
 * exit code and message).
 */
export type FailureKind =
  | 'unreachable'
  | 'refused'
  | 'auth'
  | 'host-key'
  | 'ssh'
  | 'not-installed'
  | 'sudo'
  | 'too-old'
  | 'too-large'
  | 'remote';

export interface HostOutcome {
  host: string;
  exitCode: number;
  /** The host's wsgictl version, once it answered. */
  version?: string;
  envelope?: Envelope;
  failure?: { kind: FailureKind; message: string };
}

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.at(-1) ?? '';
}

/** ssh's own failures (exit 255), named from its message. */
function sshFailure(stderr: string): { kind: FailureKind; message: string } {
  const said = lastLine(stderr);
  if (/Connection refused/i.test(stderr))
    return {
      kind: 'refused',
      message: `connection refused (is sshd running there, on the port the ssh config names?): ${said}`,
    };
  if (/Could not resolve hostname|Name or service not known|nodename nor servname/i.test(stderr))
    return {
      kind: 'unreachable',
      message: `unknown host name (not in DNS, /etc/hosts or the ssh config): ${said}`,
    };
  if (/timed out|No route to host|Network is unreachable|Connection closed by|Connection reset/i.test(stderr))
    return { kind: 'unreachable', message: `unreachable: ${said}` };
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(stderr))
    return {
      kind: 'host-key',
      message: `host key not known or changed: check it, then add it to known_hosts (${said})`,
    };
  if (
    /Permission denied|Too many authentication failures|no matching host key|Authentication failed/i.test(
      stderr,
    )
  )
    return {
      kind: 'auth',
      message: `ssh authentication failed; wsgictl never prompts (BatchMode): load the key into ssh-agent or name it with IdentityFile (${said})`,
    };
  return { kind: 'ssh', message: `ssh failed: ${said || 'exit 255 and no message'}` };
}

/** The failure when the host's answer is not an envelope: wsgictl did not run there, or is too old. */
function withoutEnvelope(output: SshOutput, remoteCommand: string): { kind: FailureKind; message: string } {
  const code = output.exitCode;
  const said = lastLine(output.stderr);
  if (code === 255) return sshFailure(output.stderr);
  if (new RegExp(`unknown option '${ENVELOPE_FLAG}'`).test(output.stderr))
    return {
      kind: 'too-old',
      message: `its wsgictl is older than 0.2.0 (no ${ENVELOPE_FLAG}): upgrade it there to ${VERSION}`,
    };
  if (/sudo: (a password is required|a terminal is required)/.test(output.stderr))
    return {
      kind: 'sudo',
      message: `sudo asks for a password there: allow wsgictl without one (a sudoers line: see docs/fleet.md, "sudo") (${said})`,
    };
  if (code === 127 || code === 126 || /command not found|No such file or directory/.test(output.stderr))
    return {
      kind: 'not-installed',
      message: `"${remoteCommand}" was not found there: install wsgictl on it (npm install -g wsgictl), or name the command with --remote-wsgictl (e.g. "npx wsgictl", "sudo -n /usr/local/bin/wsgictl")`,
    };
  const how = output.signal ? `ssh ended by ${output.signal}` : `exit ${code}`;
  return {
    kind: 'remote',
    message: `"${remoteCommand}" gave no answer wsgictl understands (${how}): ${said || 'no message'}`,
  };
}

/** What the host's command printed with --json, when it is a JSON array (ps records, reload results). */
export function printedArray(outcome: HostOutcome): unknown[] | undefined {
  const parsed = printedJson(outcome);
  return Array.isArray(parsed) ? parsed : undefined;
}

/** The JSON document a host's command printed (its whole stdout), or undefined when it printed none. */
export function printedJson(outcome: HostOutcome): unknown {
  const text = outcome.envelope?.stdout.trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A JSON object (not an array, not null): the only shape a ps record or reload result has. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The warning for a host whose wsgictl is not this one's version; undefined when they match. */
export function versionWarning(outcome: HostOutcome): string | undefined {
  if (outcome.version === undefined || outcome.version === VERSION) return undefined;
  return `${outcome.host} runs wsgictl ${outcome.version}, this one is ${VERSION}: install the same version on both`;
}

/** A host's outcome from what ssh returned. */
export function hostOutcome(host: string, output: SshOutput, remoteCommand: string): HostOutcome {
  if (output.overflow) {
    const mib = output.overflow.limitBytes / (1024 * 1024);
    return {
      host,
      exitCode: EXIT.host,
      failure: {
        kind: 'too-large',
        message: `output too large (more than ${mib} MiB on ${output.overflow.stream}): "${remoteCommand}" there does not answer as wsgictl does; its ssh was ended, check what that command runs`,
      },
    };
  }
  const envelope = findEnvelope(output.stdout);
  if (!envelope) return { host, exitCode: EXIT.host, failure: withoutEnvelope(output, remoteCommand) };
  const base = { host, exitCode: envelope.exitCode, version: envelope.wsgictl, envelope };
  if (envelope.exitCode === EXIT.ok) return base;
  const message = envelope.error?.message ?? (lastLine(envelope.stderr) || `exit ${envelope.exitCode}`);
  const unknown = /unknown option '([^']+)'/.exec(message);
  if (envelope.exitCode === EXIT.usage && unknown && envelope.wsgictl !== VERSION)
    return {
      ...base,
      failure: {
        kind: 'too-old',
        message: `its wsgictl ${envelope.wsgictl} does not know ${unknown[1]}: upgrade it there to ${VERSION}`,
      },
    };
  return { ...base, failure: { kind: 'remote', message } };
}

/** Most serious first: what an operator must look at before anything else. */
const SEVERITY: number[] = [EXIT.failed, EXIT.refused, EXIT.permission, EXIT.host, EXIT.noMatch, EXIT.usage];

/**
 * The fleet's exit code: 0 when every host succeeded; else the most serious failure's (1: a reload ran and
 * did not complete or the app does not answer; 5 refused; 4 permission; 6 host not reached or no usable
 * wsgictl; 3 no such group; 2 usage); `interrupted` (130) when hosts were left unstarted and none failed.
 */
export function fleetExitCode(outcomes: HostOutcome[], interrupted: boolean): number {
  const codes = outcomes.map((outcome) => outcome.exitCode).filter((code) => code !== EXIT.ok);
  if (codes.length === 0) return interrupted ? EXIT.interrupted : EXIT.ok;
  return SEVERITY.find((code) => codes.includes(code)) ?? Math.max(...codes);
}
