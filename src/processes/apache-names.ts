/**
 * Apache's program names as comm shows them: apache2 (Debian), httpd (RHEL, macOS, Windows' httpd.exe),
 * httpd2-prefork (SUSE). It sits with the process table because both the Apache reader and the Windows
 * restart path pick Apache out of that table, and neither may import the other.
 */
export function isApacheComm(comm: string): boolean {
  return /^(apache2|httpd)/i.test(comm);
}
