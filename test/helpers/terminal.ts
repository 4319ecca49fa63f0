/** Whether a character is one a terminal acts on or that reorders text: C0 but tab/LF, DEL, C1, bidi. */
function isRawControl(code: number): boolean {
  if (code === 0x09 || code === 0x0a) return false;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  return (
    [0x061c, 0x200e, 0x200f, 0x2028, 0x2029].includes(code) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * The first raw control character in what a command printed, as `U+001B at 12: "...context..."`, or
 * undefined when there is none (a colourless run prints no ESC of its own).
 */
export function findRawControl(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isRawControl(code))
      return `U+${code.toString(16).padStart(4, '0')} at ${i}: ${JSON.stringify(text.slice(Math.max(0, i - 40), i + 40))}`;
  }
  return undefined;
}
