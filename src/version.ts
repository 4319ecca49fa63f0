/** wsgictl's own version: `--version`, and what a host reports to the wsgictl that reaches it over ssh. */
export const VERSION = '0.2.0';
