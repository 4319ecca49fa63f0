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

  /** `${NAME}`: a Define's value, else the environment's; an unknown name stays as written. */
  expand(text: string): string {
    return text.replace(
      /\$\{([^}]*)\}/g,
      (whole, name: string) => this.values.get(name.toLowerCase()) ?? this.env[name] ?? whole,
    );
  }
}
