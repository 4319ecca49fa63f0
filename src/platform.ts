import { type ApacheLayout, apacheLayout } from './apache/config/model.js';
import { createProcessSource } from './processes/index.js';
import type { ProcessSource } from './processes/types.js';
import { createUnixReloader, type Reloader } from './reload/reloader.js';
import { createShell, type Shell } from './watch/shell.js';

/**
 * Everything that differs between platforms, chosen once: the process table, the reload, where Apache keeps
 * its configuration, the services, and the shell `watch --exec` runs its command with.
 */
export interface Platform {
  name: NodeJS.Platform;
  source: ProcessSource;
  reloader: Reloader;
  /** Where an Apache started without -d/-f keeps its configuration. */
  layout: ApacheLayout;
  /** The shell of `watch --exec`. */
  shell: Shell;
  /** Windows: Apache parent pid -> the service it runs as; undefined where there are no services. */
  services(): Promise<ReadonlyMap<number, string> | undefined>;
}

/**
 * The one place that asks which platform this is. Windows' reload (a graceful restart of the whole Apache,
 * since mod_wsgi has no daemon mode there) and its service lookup are loaded only on Windows.
 */
export function createPlatform(name: NodeJS.Platform = process.platform): Platform {
  const source = createProcessSource(name);
  const layout = apacheLayout(name);
  const shell = createShell(name);
  if (name !== 'win32') {
    return {
      name,
      source,
      reloader: createUnixReloader(source),
      layout,
      shell,
      services: async () => undefined,
    };
  }
  return {
    name,
    source,
    layout,
    shell,
    reloader: {
      platform: 'windows',
      async reload(request, deps) {
        const { createWindowsReloader } = await import('./windows/reloader.js');
        return createWindowsReloader({ source }).reload(request, deps);
      },
    },
    async services() {
      const { createExecutor } = await import('./windows/exec.js');
      const { mapServicePids } = await import('./windows/service.js');
      return mapServicePids(createExecutor());
    },
  };
}
