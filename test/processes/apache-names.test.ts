import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isApacheComm } from '../../src/processes/apache-names.js';

describe('isApacheComm', () => {
  it("knows Apache's program names on Debian, RHEL, macOS, SUSE and Windows, in any case", () => {
    for (const comm of ['apache2', 'httpd', 'httpd2-prefork', 'httpd.exe', 'HTTPD.EXE', 'Apache2'])
      assert.equal(isApacheComm(comm), true, comm);
  });

  it('refuses other names, also those that only contain an Apache name', () => {
    for (const comm of ['nginx', 'lighttpd', 'my-httpd', 'apache', 'python3', '(wsgi:django)', ''])
      assert.equal(isApacheComm(comm), false, comm);
  });
});
