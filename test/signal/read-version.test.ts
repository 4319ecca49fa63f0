import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ApacheInstance } from '../../src/groups/instance.js';
import {
  findStartLineVersion,
  readModuleVersion,
  readStartLineVersion,
  START_LINE_TAIL_BYTES,
} from '../../src/signal/read-version.js';

/** Start lines as 4.9.4 and 6.0.5 under Debian's Apache 2.4 wrote them (their words are Apache's own). */
const START_494 =
  '[Thu Dec 03 08:03:18.074057 2026] [mpm_event:notice] [pid 812:tid 812] AH00489: Apache/2.4.71 (Debian) mod_wsgi/4.9.4 Python/3.11 configured -- resuming normal operations';
const START_605 =
  '[Thu Dec 03 08:03:32.461510 2026] [mpm_event:notice] [pid 812:tid 812] AH00489: Apache/2.4.71 (Debian) mod_wsgi/6.0.5 Python/3.11 configured -- resuming normal operations';

describe('findStartLineVersion', () => {
  it('reads the last start line of the parent: a graceful restart onto a new module writes a new one', () => {
    assert.deepEqual(findStartLineVersion(`${START_494}\nother\n${START_605}\n`, 812), { version: '6.0.5' });
  });

  it('takes no line of another pid, and none without httpd’s fields (a daemon writing to its stderr)', () => {
    const other = START_605.replace(/pid 812:tid 812/, 'pid 900:tid 900');
    const raw = `[pid 812:tid 812] AH00489: Apache/2.4.71 mod_wsgi/6.0.5 configured`;
    const app = START_605.replace('[mpm_event:notice]', '[wsgi:error]');
    assert.deepEqual(findStartLineVersion(`${START_494}\n${other}\n${raw}\n${app}\n`, 812), {
      version: '4.9.4',
    });
    assert.deepEqual(findStartLineVersion(`${other}\n${raw}\n`, 812), {
      version: null,
      reason: 'holds no start line (AH00489) of pid 812',
    });
  });

  it('says so when the start line names no mod_wsgi (an Apache without it)', () => {
    const bare = START_605.replace(' mod_wsgi/6.0.5', '');
    assert.deepEqual(findStartLineVersion(`${bare}\n`, 812), {
      version: null,
      reason: 'has a start line that names no mod_wsgi',
    });
  });
});

const dir = mkdtempSync(join(tmpdir(), 'wsgictl-read-version-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Just what the readers look at: the main ErrorLog, the LoadModule file, the parent, when it read its config. */
function instanceWith(options: { errorLog?: string | null; wsgiModule?: string | null; readAt?: Date }) {
  return {
    config: {
      serverRoot: dir,
      sites: { errorLog: options.errorLog ?? null },
      wsgiModule: options.wsgiModule ?? null,
    },
    fileRoot: '',
    parent: { pid: 4812, nsPid: 812, comm: 'apache2' },
    configReadAt: options.readAt ?? new Date(),
  } as unknown as ApacheInstance;
}

describe('readStartLineVersion', () => {
  it('reads the main ErrorLog (relative to ServerRoot) for the pid Apache sees itself as', () => {
    writeFileSync(join(dir, 'error.log'), `${START_605}\n`);
    assert.deepEqual(readStartLineVersion(instanceWith({ errorLog: 'error.log' })), { version: '6.0.5' });
  });

  it('says why when the log is piped, missing, or holds no start line in its tail', () => {
    assert.deepEqual(readStartLineVersion(instanceWith({ errorLog: '|/usr/bin/rotatelogs x 86400' })), {
      version: null,
      reason: 'is not readable: piped log',
    });
    assert.deepEqual(readStartLineVersion(instanceWith({ errorLog: 'missing.log' })), {
      version: null,
      reason: 'cannot be read (ENOENT)',
    });
    const filler = `${'x'.repeat(1023)}\n`.repeat(START_LINE_TAIL_BYTES / 1024);
    writeFileSync(join(dir, 'long.log'), `${START_605}\n${filler}`);
    assert.deepEqual(readStartLineVersion(instanceWith({ errorLog: 'long.log' })), {
      version: null,
      reason: 'holds no start line (AH00489) of pid 812 in its last 8 MiB',
    });
  });
});

/** Bytes laid out as a gcc-built mod_wsgi lays out its version and banner format. */
function moduleBytes(version: string): Buffer {
  return Buffer.from(`\x7fELF\0\0junk\0${version}\0mod_wsgi/%s\0Python/%d.%d\0`, 'latin1');
}

describe('readModuleVersion', () => {
  it('reads the version out of the LoadModule file', () => {
    const file = join(dir, 'mod_wsgi.so');
    writeFileSync(file, moduleBytes('6.0.5'));
    const readAt = new Date(Date.now() + 60_000);
    assert.deepEqual(readModuleVersion(instanceWith({ wsgiModule: file, readAt })), { version: '6.0.5' });
  });

  it('says nothing of a file changed after Apache loaded it: it may not be the module Apache runs', () => {
    const file = join(dir, 'upgraded.so');
    writeFileSync(file, moduleBytes('6.0.5'));
    const readAt = new Date(Date.now() - 60_000);
    assert.deepEqual(readModuleVersion(instanceWith({ wsgiModule: file, readAt })), {
      version: null,
      reason: `${file} changed after Apache loaded it (restart Apache to load it)`,
    });
  });

  it('says why when there is no LoadModule, no file, or no version in it', () => {
    const later = new Date(Date.now() + 60_000);
    assert.deepEqual(readModuleVersion(instanceWith({})), {
      version: null,
      reason: 'is not named: no LoadModule wsgi_module was read',
    });
    const missing = join(dir, 'missing.so');
    assert.deepEqual(readModuleVersion(instanceWith({ wsgiModule: missing, readAt: later })), {
      version: null,
      reason: `${missing} cannot be read (ENOENT)`,
    });
    const other = join(dir, 'other.so');
    writeFileSync(other, Buffer.from('\x7fELF\0mod_other/%s\0', 'latin1'));
    utimesSync(other, new Date(0), new Date(0));
    assert.deepEqual(readModuleVersion(instanceWith({ wsgiModule: other, readAt: later })), {
      version: null,
      reason: `${other} holds no mod_wsgi version string`,
    });
  });
});
