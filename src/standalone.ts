/** Where this wsgictl runs: which Node, which platform, and whether it is the standalone executable. */
export interface Runtime {
  node: string;
  platform: NodeJS.Platform;
  arch: string;
  /** A Node single executable application (`npm run dist`), not Node running bin/wsgictl.js. */
  standalone: boolean;
}

export function currentRuntime(): Runtime {
  // node:sea exists from Node 20.12; getBuiltinModule (20.16) reaches it from this ES module without a loader.
  const sea = process.getBuiltinModule?.('node:sea') as typeof import('node:sea') | undefined;
  return {
    node: process.versions.node,
    platform: process.platform,
    arch: process.arch,
    standalone: sea?.isSea() === true,
  };
}

/**
 * What `--version` prints: the bare version under Node (what scripts have always read), and, from a
 * standalone executable, which Node and platform it carries: `wsgictl 0.2.0 (standalone, node 22.23.3, linux-x64)`.
 */
export function versionText(version: string, runtime: Runtime): string {
  if (!runtime.standalone) return version;
  const platform = runtime.platform === 'win32' ? 'win' : runtime.platform;
  return `wsgictl ${version} (standalone, node ${runtime.node}, ${platform}-${runtime.arch})`;
}
