import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isDirectiveKnown,
  isModulePresent,
  type ModuleState,
  sourceOfSymbol,
  symbolOfSource,
} from '../../../src/apache/config/modules.js';

function state(compiled: string[] | null, loaded: string[] = []): ModuleState {
  return { loaded: new Set(loaded), build: { modules: compiled ? new Set(compiled) : null, version: null } };
}

describe('sourceOfSymbol and symbolOfSource', () => {
  it('follow the mod_foo.c <-> foo_module convention', () => {
    assert.equal(sourceOfSymbol('wsgi_module'), 'mod_wsgi.c');
    assert.equal(symbolOfSource('mod_wsgi.c'), 'wsgi_module');
    assert.equal(sourceOfSymbol('proxy_http_module'), 'mod_proxy_http.c');
  });

  it('know the modules that break it, both ways', () => {
    for (const [symbol, source] of [
      ['core_module', 'core.c'],
      ['http_module', 'http_core.c'],
      ['mpm_event_module', 'event.c'],
      ['mpm_prefork_module', 'prefork.c'],
      ['ldap_module', 'util_ldap.c'],
    ] as const) {
      assert.equal(sourceOfSymbol(symbol), source);
      assert.equal(symbolOfSource(source), symbol);
    }
  });
});

describe('isModulePresent', () => {
  it('is true for a module loaded by LoadModule, by the name it was loaded as', () => {
    assert.equal(isModulePresent('wsgi_module', state(['core.c'], ['wsgi_module', 'mod_wsgi.c'])), true);
  });

  it("answers compiled-in modules from the binary's list, by source or by symbol", () => {
    const debian = state(['core.c', 'mod_so.c', 'http_core.c', 'mod_log_config.c', 'event.c']);
    assert.equal(isModulePresent('mod_log_config.c', debian), true);
    assert.equal(isModulePresent('log_config_module', debian), true);
    assert.equal(isModulePresent('mpm_event_module', debian), true);
    assert.equal(isModulePresent('mod_wsgi.c', debian), false);
    assert.equal(isModulePresent('mpm_prefork_module', debian), false);
  });

  it('is false for a name that is neither a source nor a symbol, unless LoadModule loaded it', () => {
    assert.equal(isModulePresent('wsgi', state(['core.c'])), false);
  });

  it('without the list: core modules are in, those some builds compile in are undecided, the rest out', () => {
    const unknown = state(null);
    assert.equal(isModulePresent('mod_so.c', unknown), true);
    assert.equal(isModulePresent('http_module', unknown), true);
    assert.deepEqual(isModulePresent('mod_version.c', unknown), {
      undecided: 'whether mod_version.c is compiled in: the Apache binary could not be asked (-l)',
    });
    assert.deepEqual(isModulePresent('mpm_event_module', unknown), {
      undecided: 'whether event.c is compiled in: the Apache binary could not be asked (-l)',
    });
    assert.equal(isModulePresent('mod_wsgi.c', unknown), false);
  });
});

describe('isDirectiveKnown', () => {
  it('is true when a providing module is compiled in or loaded', () => {
    assert.equal(isDirectiveKnown('LoadModule', state(['core.c', 'mod_so.c'])), true);
    assert.equal(isDirectiveKnown('WSGIDaemonProcess', state(['core.c'], ['wsgi_module'])), false);
    assert.equal(isDirectiveKnown('WSGIDaemonProcess', state(['core.c'], ['mod_wsgi.c'])), true);
    assert.equal(isDirectiveKnown('<Macro', state(['core.c', 'mod_macro.c'])), true);
  });

  it('is true when any one of several providers is in', () => {
    assert.equal(isDirectiveKnown('ThreadsPerChild', state(['core.c', 'worker.c'])), true);
    assert.equal(isDirectiveKnown('ThreadsPerChild', state(['core.c', 'prefork.c'])), false);
  });

  it('is undecided when a provider may be compiled in and the binary could not be asked', () => {
    // event.c, worker.c and mpm_winnt.c all provide it; any one of them may be the MPM compiled in.
    const truth = isDirectiveKnown('ThreadsPerChild', state(null));
    assert.equal(typeof truth, 'object');
    assert.match(
      (truth as { undecided: string }).undecided,
      /^whether (event|worker|mpm_winnt)\.c is compiled in: the Apache binary could not be asked \(-l\)$/,
    );
  });

  it('is false for an unknown name only when every module present is one wsgictl knows', () => {
    assert.equal(
      isDirectiveKnown('NoSuchThing', state(['core.c', 'mod_so.c'], ['wsgi_module', 'mod_wsgi.c'])),
      false,
    );
    assert.deepEqual(isDirectiveKnown('NoSuchThing', state(['core.c'], ['mod_exotic.c'])), {
      undecided: 'wsgictl does not know which module provides NoSuchThing',
    });
    assert.deepEqual(isDirectiveKnown('<NoSuchSection', state(null)), {
      undecided: 'wsgictl does not know which module provides <NoSuchSection>',
    });
  });
});
