#!/usr/bin/env bash
# Homebrew's httpd and mod_wsgi from pip, for `wsgictl demo` and scripts/e2e.mjs on a Mac (CI's macOS job
# runs this; so can you). mod_wsgi's setup.py builds against the apxs named by $APXS (mod_wsgi's macOS
# guide: `APXS=$(brew --prefix)/bin/apxs pip install mod_wsgi`); pip installs into a venv of its own, since
# Homebrew's Python refuses installs into itself (PEP 668).
#
# The venv lives in /Users/Shared unless WSGICTL_MOD_WSGI_VENV says otherwise: mod_wsgi's daemons read it as
# WSGIPythonHome, and when Apache runs as root they run as nobody, who cannot enter a home folder.
set -euo pipefail

venv="${WSGICTL_MOD_WSGI_VENV:-/Users/Shared/wsgictl/mod_wsgi-venv}"
python_formula="${WSGICTL_PYTHON_FORMULA:-python@3.12}"

brew install httpd "$python_formula"
prefix="$(brew --prefix)"
python="$(brew --prefix "$python_formula")/libexec/bin/python3"
[ -x "$python" ] || python="$(brew --prefix "$python_formula")/bin/python3"

mkdir -p "$(dirname "$venv")"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
APXS="$prefix/bin/apxs" "$venv/bin/python" -m pip install mod_wsgi
chmod -R a+rX "$venv"

# What wsgictl's sandbox will load (src/sandbox/install.ts reads this same output).
"$venv/bin/mod_wsgi-express" module-config
"$prefix/bin/httpd" -v

if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$venv/bin" >>"$GITHUB_PATH"
else
  echo "Now: export PATH=\"$venv/bin:\$PATH\"; then npm run demo, or npm run build && node scripts/e2e.mjs"
fi
