// `npm run bench [-- NAME...]`: every benchmark, or the named ones. Figures go to the README by hand.
import { benchCheck } from './check.js';
import { benchFleet } from './fleet.js';
import { benchGraceful } from './graceful.js';
import { benchPreflight } from './preflight.js';
import { benchPs } from './ps.js';
import { benchReload } from './reload.js';
import { benchStandalone } from './standalone.js';
import { benchTop } from './top.js';
import { benchWatch } from './watch.js';

const BENCHES: Record<string, () => Promise<void>> = {
  ps: benchPs,
  reload: benchReload,
  check: benchCheck,
  watch: benchWatch,
  fleet: benchFleet,
  preflight: benchPreflight,
  graceful: benchGraceful,
  standalone: benchStandalone,
  top: benchTop,
};

const chosen = process.argv.slice(2);
for (const name of chosen.length > 0 ? chosen : Object.keys(BENCHES)) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}": choose from ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  await bench();
}
