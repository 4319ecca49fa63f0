/** A line longer than this once `${}` are expanded is not read (40 doublings of a Define reach gigabytes). */
export const MAX_EXPANDED_CHARS = 64 << 10;

/** Thrown when an expansion would pass MAX_EXPANDED_CHARS. */
export class ExpansionTooLongError extends Error {}

/**
 * httpd's defines (server/core.c, set_define/unset_define/ap_resolve_env): `-D NAME` and `Define NAME` make a
 * name that `<IfDefine>` tests case-sensitively; `Define NAME VALUE` also gives `${NAME}` a value, kept in a
 * case-blind table; `UnDefine` removes both.
 */
export class Defines {
  /** What `<IfDefine>` tests. */
  readonly names = new Set<string>();
  /** Values by lower-case name. */
  private readonly values = new Map<string, string>();

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  define(name: string, value: string | undefined): void {
    this.names.add(name);
    if (value !== undefined) this.values.set(name.toLowerCase(), value);
  }

  undefine(name: string): void {
    this.names.delete(name);
    this.values.delete(name.toLowerCase());
  }

  /**
   * `${NAME}`: a Define's value, else the environment's; an unknown name stays as written. Throws an
   * ExpansionTooLongError rather than build a result longer than `maxChars`.
   */
  expand(text: string, maxChars = MAX_EXPANDED_CHARS): string {
    let length = text.length;
    return text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
      const value = this.values.get(name.toLowerCase()) ?? this.env[name] ?? whole;
      length += value.length - whole.length;
      if (length > maxChars) throw new ExpansionTooLongError(`expands to more than ${maxChars} characters`);
      return value;
    });
  }
}
