/** What the instance's binary says about itself; null fields = could not be learnt. */
export interface ApacheBuild {
  /** Compiled-in modules as `httpd -l` prints them (`core.c`, `mod_so.c`, `http_core.c`, `mod_version.c`, ...). */
  modules: Set<string> | null;
  /** `2.4.62` from `httpd -v` ("Server version: Apache/2.4.62 (Debian)"); a development build keeps `-dev`. */
  version: string | null;
}
