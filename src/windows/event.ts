import type { Executor, RunOptions } from './exec.js';
import { restartEventName } from './names.js';

/** How one attempt ended; `denied` means the same step may work from an elevated prompt. */
export type AttemptOutcome = 'done' | 'missing' | 'denied' | 'unavailable' | 'failed' | 'skipped';

export interface Attempt {
  /** What was tried, as a user could retype it (`event ap1234_restart`, `httpd.exe -k restart -n Apache2.4`). */
  step: string;
  outcome: AttemptOutcome;
  /** One line: why it failed, from the command's own words. */
  detail: string;
  /** With `denied`: false when an elevated prompt would be refused too (a LocalSystem service's event). */
  elevate?: boolean;
}

export const POWERSHELL = 'powershell.exe';

/**
 * The PowerShell (5.1, .NET Framework) equivalent of ap_signal_parent(): OpenEvent(EVENT_MODIFY_STATE) is
 * OpenExisting with EventWaitHandleRights.Modify, then SetEvent and CloseHandle. The failure is printed as
 * `<exception type>: <message>` on stderr, so it is classified by the type name, which no locale translates.
 */
export function buildEventScript(eventName: string): string {
  if (!/^(Global\\)?ap\d+_restart$/.test(eventName))
    throw new Error(`not an Apache restart event: ${eventName}`);
  return [
    "$ErrorActionPreference = 'Stop'",
    'try {',
    `  $e = [System.Threading.EventWaitHandle]::OpenExisting('${eventName}', [System.Security.AccessControl.EventWaitHandleRights]::Modify)`,
    '  [void]$e.Set()',
    '  $e.Close()',
    '} catch {',
    '  $x = $_.Exception',
    '  while ($x.InnerException) { $x = $x.InnerException }',
    "  [Console]::Error.WriteLine($x.GetType().FullName + ': ' + $x.Message)",
    '  exit 1',
    '}',
  ].join('\n');
}

/** -EncodedCommand takes UTF-16LE base64: no quoting of the script survives a command line better. */
export function powershellArgs(script: string): string[] {
  return [
    '-NoProfile',
    '-NonInteractive',
    '-EncodedCommand',
    Buffer.from(script, 'utf16le').toString('base64'),
  ];
}

function firstLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  );
}

/** Reads what PowerShell said about one OpenExisting + Set. */
export function classifyEventResult(
  result: { code: number | null; stdout: string; stderr: string; error?: string },
  step: string,
): Attempt {
  const said = `${result.stderr}\n${result.stdout}`;
  if (result.code === null) {
    const detail =
      result.error === 'ENOENT'
        ? `${POWERSHELL} is not on PATH`
        : `${POWERSHELL} did not finish (${result.error ?? 'killed'})`;
    return { step, outcome: 'unavailable', detail };
  }
  if (result.code === 0) return { step, outcome: 'done', detail: 'event set' };
  if (/WaitHandleCannotBeOpenedException/.test(said)) {
    return { step, outcome: 'missing', detail: `no such event (${firstLine(result.stderr)})` };
  }
  if (/UnauthorizedAccessException/.test(said)) {
    return { step, outcome: 'denied', detail: `access denied (${firstLine(result.stderr)}): run elevated` };
  }
  return { step, outcome: 'failed', detail: firstLine(said) || `exit code ${result.code}` };
}

/** Sets Apache's restart event for this parent pid, in this session's namespace or in Global\. */
export async function setRestartEvent(
  executor: Executor,
  parentPid: number,
  global: boolean,
  options?: RunOptions,
): Promise<Attempt> {
  const name = restartEventName(parentPid, global);
  const result = await executor.run(POWERSHELL, powershellArgs(buildEventScript(name)), options);
  return classifyEventResult(result, `event ${name}`);
}
