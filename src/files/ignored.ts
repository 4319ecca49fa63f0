/**
 * Directories that hold no source of the app's own: version control, caches, dependencies and virtualenvs.
 * `watch` hands them to the native watcher so it never subscribes to them; the pre-flight never walks them.
 */
export const ALWAYS_IGNORED_DIRS = [
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  'node_modules',
  'venv',
  '.venv',
  '.tox',
  '.nox',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
] as const;

/** Compiled files and editor droppings (vim swap and its 4913 probe, emacs locks and backups). */
export const ALWAYS_IGNORED_FILES = [
  '*.pyc',
  '*.pyo',
  '*.swp',
  '*.swo',
  '*.swx',
  '*~',
  '.#*',
  '#*#',
  '4913',
  '*.tmp',
  '.DS_Store',
] as const;
