import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WsgictlError } from '../../src/errors.js';
import { assertGroupsExist } from '../../src/groups/lookup.js';
import {
  findScriptReloadingOff,
  findTouchScript,
  layoutFor,
  loadWindowsConfig,
  parseCommandLineJson,
  splitCommandLine,
  wsgiAppsOf,
} from '../../src/windows/apps.js';
import { fixture, windowsFiles } from './fakes.js';

const CONF = { 'C:/Apache24/conf/httpd.conf': fixture('httpd.conf') };
const consoleLine = () => parseCommandLineJson(fixture('win32-process-parent-console.json'));

describe('the command line of the Apache parent (Win32_Process)', () => {
  it('reads the recorded JSON of one process', () => {
    assert.deepEqual(consoleLine(), {
      executablePath: 'C:\\Apache24\\bin\\httpd.exe',
      commandLine: '"C:\\Apache24\\bin\\httpd.exe" -f conf/httpd.conf',
    });
    assert.equal(parseCommandLineJson(''), null, 'no such process: PowerShell prints nothing');
  });

  it('splits it as the C runtime does: quotes, spaces in paths, backslashes kept', () => {
    assert.deepEqual(
      splitCommandLine('"C:\\Program Files\\Apache24\\bin\\httpd.exe" -d "C:/My Apache" -k runservice'),
      ['C:\\Program Files\\Apache24\\bin\\httpd.exe', '-d', 'C:/My Apache', '-k', 'runservice'],
    );
    assert.deepEqual(splitCommandLine('a\\\\"b c" d\\"e'), ['a\\b c', 'd"e']);
  });

  it("ServerRoot defaults to the executable's folder less bin, as winnt_rewrite_args sets -d", () => {
    assert.equal(
      layoutFor('D:\\Apps\\Apache24\\bin\\httpd.exe').defaults('', '').serverRoot,
      'D:/Apps/Apache24',
    );
  });
});

describe('group names against the configuration (embedded mode: WSGIScriptAlias)', () => {
  const config = loadWindowsConfig(
    consoleLine() ?? { executablePath: null, commandLine: null },
    windowsFiles(CONF),
  );

  it('finds the configuration the parent was started with', () => {
    assert.equal(config.configFile, 'C:/Apache24/conf/httpd.conf');
  });

  it('a URL, a script, its file name or its stem names an application', () => {
    assertGroupsExist(wsgiAppsOf(config), ['django', '/api', 'app.wsgi', 'C:\\sites\\api\\app.wsgi']);
  });

  it('a typo is exit 3, naming the applications there are', () => {
    assert.throws(
      () => assertGroupsExist(wsgiAppsOf(config), ['djang']),
      (error: unknown) => {
        assert.ok(error instanceof WsgictlError);
        assert.equal(error.exitCode, 3);
        assert.match(
          error.message,
          /^no WSGI application "djang" in C:\/Apache24\/conf\/httpd\.conf: .*\/ \(C:\/sites\/django\/django\.wsgi\), \/api \(C:\/sites\/api\/app\.wsgi\)$/,
        );
        return true;
      },
    );
  });

  it('--touch must name a script of a WSGIScriptAlias; WSGIScriptReloading Off is found', () => {
    assert.equal(findTouchScript('c:\\sites\\django\\django.wsgi', config).url, '/');
    assert.throws(() => findTouchScript('C:/sites/other.wsgi', config), /no WSGI script of/);
    assert.equal(findScriptReloadingOff(config, windowsFiles(CONF)), null);
    const off = { 'C:/Apache24/conf/httpd.conf': `${fixture('httpd.conf')}WSGIScriptReloading Off\r\n` };
    const offConfig = loadWindowsConfig(
      consoleLine() ?? { executablePath: null, commandLine: null },
      windowsFiles(off),
    );
    assert.match(findScriptReloadingOff(offConfig, windowsFiles(off)) ?? '', /httpd\.conf:13$/);
  });
});
