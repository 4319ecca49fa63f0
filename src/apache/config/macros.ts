import { RELEVANT } from './sections.js';
import { type ConfigLine, splitWords } from './tokenize.js';

/**
 * mod_macro's `<Macro>` definitions. A body is a template, read only where `Use` expands it; wsgictl does not
 * expand them, it only remembers which bodies hold a directive that can change the groups (directly or through
 * a `Use` of such a macro), so that a `Use` of one becomes a doubt.
 */
export class MacroTable {
  /** Lower-case name (mod_macro folds case) -> whether the body holds a relevant directive. */
  private readonly relevant = new Map<string, boolean>();

  isRelevant(name: string | undefined): boolean {
    return name !== undefined && this.relevant.get(name.toLowerCase()) === true;
  }

  remove(name: string): void {
    this.relevant.delete(name.toLowerCase());
  }

  /**
   * Skips a `<Macro>` body, nested `<Macro>` sections included, and returns the index of its `</Macro>`.
   * `args` is the `<Macro>` line's argument text, or null when the section is not read (then nothing is defined).
   */
  readDefinition(lines: ConfigLine[], start: number, args: string | null): number {
    let nesting = 1;
    let relevant = false;
    let i = start + 1;
    for (; i < lines.length; i++) {
      const { directive, args: rest } = lines[i] as ConfigLine;
      const name = directive.toLowerCase();
      if (name === '</macro>' && --nesting === 0) break;
      if (name === '<macro') nesting++;
      relevant ||= RELEVANT.has(name) || (name === 'use' && this.isRelevant(splitWords(rest)[0]));
    }
    const [macro] = splitWords((args ?? '').replace(/>[^>]*$/, ''));
    if (args !== null && macro) this.relevant.set(macro.toLowerCase(), relevant);
    return i;
  }
}
