/**
 * Splits a directive's argument text into words the way Apache and mod_wsgi read them: white space separates
 * words, and single or double quotes (also after `key=`, as in `display-name='(wsgi:x)'`) group text.
 */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quote) {
      if (char === '\\' && (text[i + 1] === quote || text[i + 1] === '\\')) {
        word += text[++i];
      } else if (char === quote) {
        quote = null;
      } else {
        word += char;
      }
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

export interface ConfigLine {
  directive: string;
  args: string;
  line: number;
}

/**
 * Logical lines of an Apache config file: comments dropped, backslash continuations joined. As in httpd's
 * ap_cfg_getline, a backslash right before the end of a line is removed and the next line appended as it is
 * (its leading white space kept, nothing added), and a comment's continuation is still comment.
 */
export function splitDirectives(text: string): ConfigLine[] {
  const result: ConfigLine[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i] as string;
    while (logical.endsWith('\\') && i + 1 < lines.length) {
      logical = `${logical.slice(0, -1)}${lines[++i]}`;
    }
    const trimmed = logical.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = /^(\S+)\s*(.*)$/.exec(trimmed);
    if (match?.[1]) result.push({ directive: match[1], args: match[2] ?? '', line: start + 1 });
  }
  return result;
}

/** A logical line (after variable expansion) split into its directive name and the rest. */
export function splitDirectiveName(text: string): { directive: string; args: string } {
  const match = /^\s*(\S+)\s*(.*)$/.exec(text);
  return { directive: match?.[1] ?? '', args: match?.[2] ?? '' };
}
