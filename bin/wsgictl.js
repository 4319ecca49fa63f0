#!/usr/bin/env node
// CommonJS on purpose: one bundled file and no ES module loader keep `wsgictl ps` close to pgrep's speed.
'use strict';
require('node:module').enableCompileCache?.();
require('../dist/wsgictl.cjs')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
