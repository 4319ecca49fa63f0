import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findProviders, isKnownModule } from '../../../src/apache/config/directives.js';

describe('findProviders', () => {
  it('names the module that provides a directive, in any case', () => {
    assert.deepEqual(findProviders('WSGIDaemonProcess'), ['mod_wsgi.c']);
    assert.deepEqual(findProviders('loadmodule'), ['mod_so.c']);
    assert.deepEqual(findProviders('ServerRoot'), ['core.c']);
  });

  it('names sections written with their <', () => {
    assert.deepEqual(findProviders('<Macro'), ['mod_macro.c']);
    assert.deepEqual(findProviders('<VirtualHost'), ['core.c']);
    assert.deepEqual(findProviders('macro'), []);
  });

  it('names every module that provides the same directive (the MPMs, cgi and cgid)', () => {
    assert.deepEqual(findProviders('ThreadsPerChild').sort(), ['event.c', 'mpm_winnt.c', 'worker.c']);
    assert.ok(findProviders('StartServers').includes('prefork.c'));
    assert.deepEqual(findProviders('ScriptLog').sort(), ['mod_cgi.c', 'mod_cgid.c']);
  });

  it('is [] for a directive no known module provides', () => {
    assert.deepEqual(findProviders('NoSuchDirective'), []);
    assert.deepEqual(findProviders(''), []);
  });
});

describe('isKnownModule', () => {
  it('knows listed modules, also those that add no directive', () => {
    assert.equal(isKnownModule('mod_wsgi.c'), true);
    assert.equal(isKnownModule('mod_asis.c'), true);
    assert.equal(isKnownModule('core.c'), true);
  });

  it('does not know others, nor names from the prototype', () => {
    assert.equal(isKnownModule('mod_unknown.c'), false);
    assert.equal(isKnownModule('toString'), false);
    assert.equal(isKnownModule('wsgi_module'), false);
  });
});
