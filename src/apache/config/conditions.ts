import type { FileView } from '../../files/view.js';
import { nearestExisting } from './glob.js';
import { isDirectiveKnown, isModulePresent, type ModuleState } from './modules.js';
import { splitWords } from './tokenize.js';
import type { Truth } from './truth.js';
import { matchVersion } from './version.js';

/** What the conditions are evaluated against, as the configuration is read. */
export interface ConditionState extends ModuleState {
  /** Names defined so far (`-D`, `Define`, less `UnDefine`): what `<IfDefine>` tests, case-sensitively. */
  defines: Set<string>;
  files: FileView;
  /** Makes a path absolute the way Apache does: against the current ServerRoot. */
  resolve: (path: string) => string;
  /** Receives each path a condition looked at (`<IfFile>`): its change changes what Apache reads. */
  consult: (path: string) => void;
}

function fileExists(path: string, state: ConditionState): Truth {
  const absolute = state.resolve(path);
  try {
    state.files.stat(absolute);
    state.consult(absolute);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      state.consult(nearestExisting(state.files, absolute));
      return false;
    }
    // Apache reads its configuration as root: what wsgictl may not see, Apache may.
    return { undecided: `${absolute} cannot be checked (${code})` };
  }
}

/** The sections server/core.c evaluates with start_cond_section: `!` first, then one word. */
const SIMPLE_CONDITIONS: Record<string, (name: string, state: ConditionState) => Truth> = {
  ifdefine: (name, state) => state.defines.has(name),
  ifmodule: (name, state) => isModulePresent(name, state),
  iffile: (name, state) => fileExists(name, state),
  ifdirective: (name, state) => isDirectiveKnown(name, state),
  ifsection: (name, state) => isDirectiveKnown(`<${name}`, state),
};

/**
 * Evaluates one `<IfDefine>`, `<IfModule>`, `<IfVersion>`, `<IfFile>`, `<IfDirective>` or `<IfSection>` the
 * way httpd does while it reads the configuration; null for a section that is no condition. `args` is the
 * text after the section's name, variables expanded, without the closing `>`.
 */
export function evaluateCondition(section: string, args: string, state: ConditionState): Truth | null {
  const kind = section.toLowerCase();
  if (kind === 'ifversion') {
    if (state.build.version === null) {
      return { undecided: 'the Apache binary could not be asked its version (-v)' };
    }
    return matchVersion(splitWords(args), state.build.version);
  }
  const test = SIMPLE_CONDITIONS[kind];
  if (!test) return null;
  // Only a `!` right at the start negates (`<IfDefine ! X>` too); a quoted "!X" is a name.
  const text = args.trimStart();
  const not = text.startsWith('!');
  const [name] = splitWords(not ? text.slice(1) : text);
  if (!name) return { undecided: `Apache refuses <${section}> without an argument` };
  const value = test(name, state);
  return not && typeof value === 'boolean' ? !value : value;
}
