// Stands in for @parcel/watcher in the standalone executables: src/watch/watcher.ts catches this and polls.
// docs/dist.md says why the native addon is left out.
'use strict';
throw new Error('the standalone executable leaves out the native watcher');
